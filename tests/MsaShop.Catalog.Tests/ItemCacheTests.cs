using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MsaShop.Contracts;
using Npgsql;
using MsaShop.Catalog.Caching;
using MsaShop.Catalog.Data;
using MsaShop.Catalog.Tests.Support;
using MsaShop.Testing;
using StackExchange.Redis;

namespace MsaShop.Catalog.Tests;

/// <summary>Cache-aside: a miss fills Redis, a hit skips PostgreSQL, an update removes the entry.</summary>
public sealed class ItemCacheTests(CatalogService catalog, InfrastructureFixture infrastructure) : IClassFixture<CatalogService>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_miss_fills_the_cache_a_hit_is_served_from_it_and_an_update_invalidates_it()
    {
        await using var redisConnection = await ConnectionMultiplexer.ConnectAsync(catalog.Settings["ConnectionStrings:cache"]!);
        var redis = redisConnection.GetDatabase();
        using var client = catalog.Factory.CreateClient();
        using var admin = catalog.Factory.CreateClientFor("admin-1", "admin");
        var id = await catalog.AddProductAsync(stock: 3, price: 5m);
        var key = CatalogItemCache.KeyFor(id);
        Assert.False(await redis.KeyExistsAsync(key));

        var miss = await client.GetFromJsonAsync<CatalogItem>($"/api/catalog/items/{id}", Ct);
        // HybridCache answers a miss first and writes Redis after: the entry arrives, not necessarily before the answer.
        await Eventually.TrueAsync(() => redis.KeyExistsAsync(key), "the miss to fill Redis");

        // Changed behind the catalog's back: a read that still shows the old price came from the cache.
        await using (var connection = await catalog.Database.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("UPDATE catalog_items SET price = 99 WHERE id = @id", new { id });
        }
        var hit = await client.GetFromJsonAsync<CatalogItem>($"/api/catalog/items/{id}", Ct);
        Assert.Equal(miss, hit);
        Assert.Equal(5m, hit!.Price);

        using var current = await admin.GetAsync($"/api/catalog/items/{id}", Ct);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/catalog/items/{id}")
        {
            Content = JsonContent.Create(new { miss!.Name, description = "Updated", price = 7.5m }),
        };
        request.Headers.IfMatch.Add(current.Headers.ETag!);
        using var update = await admin.SendAsync(request, Ct);
        update.EnsureSuccessStatusCode();
        Assert.False(await redis.KeyExistsAsync(key));
        var afterUpdate = await client.GetFromJsonAsync<CatalogItem>($"/api/catalog/items/{id}", Ct);
        Assert.Equal((7.5m, "Updated"), (afterUpdate!.Price, afterUpdate.Description));
    }

    [Fact]
    public async Task A_client_that_leaves_right_after_its_write_leaves_no_stale_item_behind()
    {
        // The request is aborted the moment the write, committed, starts removing the cached item.
        await using var leaving = catalog.Factory.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
        {
            services.AddHttpContextAccessor();
            var redis = services.Single(service => service.ServiceType == typeof(IDistributedCache));
            services.Remove(redis);
            services.AddSingleton<IDistributedCache>(provider => new AbortingTheRequestOnRemove(
                (IDistributedCache)ActivatorUtilities.CreateInstance(provider, redis.ImplementationType!),
                provider.GetRequiredService<IHttpContextAccessor>()));
        }));
        using var client = leaving.CreateClient();
        using var admin = leaving.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", MsaShop.Tokens.DevelopmentTokens.Create("admin-1", "admin"));
        var id = await catalog.AddProductAsync(stock: 3, price: 5m);
        using var current = await client.GetAsync($"/api/catalog/items/{id}", Ct);
        var cached = await current.Content.ReadFromJsonAsync<CatalogItem>(Ct);

        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/catalog/items/{id}")
        {
            Content = JsonContent.Create(new { cached!.Name, description = "Written by a client that left", price = 8m }),
        };
        request.Headers.IfMatch.Add(current.Headers.ETag!);
        await Assert.ThrowsAnyAsync<Exception>(() => admin.SendAsync(request, Ct));

        var afterwards = await client.GetFromJsonAsync<CatalogItem>($"/api/catalog/items/{id}", Ct);
        Assert.Equal((8m, "Written by a client that left"), (afterwards!.Price, afterwards.Description));
    }

    /// <summary>Redis as the cache's second level, except that removing an entry first aborts the request being served.</summary>
    private sealed class AbortingTheRequestOnRemove(IDistributedCache redis, IHttpContextAccessor request) : IDistributedCache
    {
        public byte[]? Get(string key) => redis.Get(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => redis.GetAsync(key, token);

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => redis.Set(key, value, options);

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
            redis.SetAsync(key, value, options, token);

        public void Refresh(string key) => redis.Refresh(key);

        public Task RefreshAsync(string key, CancellationToken token = default) => redis.RefreshAsync(key, token);

        public void Remove(string key) => redis.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default)
        {
            request.HttpContext?.Abort();
            return redis.RemoveAsync(key, token);
        }
    }

    [Fact]
    public async Task Cached_entries_expire_after_the_configured_duration()
    {
        await using var redisConnection = await ConnectionMultiplexer.ConnectAsync(catalog.Settings["ConnectionStrings:cache"]!);
        using var client = catalog.Factory.CreateClient();
        var id = await catalog.AddProductAsync(stock: 1);

        using var response = await client.GetAsync($"/api/catalog/items/{id}", Ct);
        var ttl = await redisConnection.GetDatabase().KeyTimeToLiveAsync(CatalogItemCache.KeyFor(id));

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task A_price_edit_on_one_replica_removes_the_item_from_every_replicas_memory()
    {
        var settings = await CatalogSettings.CreateAsync(infrastructure, "catalog_replicas");
        await using var editor = new ServiceFactory<Program>(settings);
        // The other replica keeps items in memory for an hour: only the announcement can make it drop the old price.
        await using var reader =
            new ServiceFactory<Program>(new Dictionary<string, string?>(settings) { ["Catalog:ItemLocalCacheDuration"] = "01:00:00" });
        using var admin = editor.CreateClientFor("admin-1", "admin");
        using var readerClient = reader.CreateClient();
        await using var redisConnection = await ConnectionMultiplexer.ConnectAsync(settings["ConnectionStrings:cache"]!);

        using var before = await admin.GetAsync("/api/catalog/items/1", Ct);
        var item = await before.Content.ReadFromJsonAsync<CatalogItem>(Ct);
        Assert.Equal(item, await readerClient.GetFromJsonAsync<CatalogItem>("/api/catalog/items/1", Ct));

        // Changed behind the catalog's back and gone from Redis: the reader still has the old item in memory.
        await using (var connection = await editor.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("UPDATE catalog_items SET price = price + 1 WHERE id = 1");
        }
        await redisConnection.GetDatabase().KeyDeleteAsync(CatalogItemCache.KeyFor(1));
        Assert.Equal(item, await readerClient.GetFromJsonAsync<CatalogItem>("/api/catalog/items/1", Ct));

        var current = await admin.GetAsync("/api/catalog/items/1", Ct);
        using var edit = new HttpRequestMessage(HttpMethod.Put, "/api/catalog/items/1")
        {
            Content = JsonContent.Create(new { item!.Name, item.Description, price = 123.45m }),
        };
        edit.Headers.IfMatch.Add(current.Headers.ETag!);
        using var edited = await admin.SendAsync(edit, Ct);
        edited.EnsureSuccessStatusCode();

        var seen = await Eventually.ReturnsAsync(
            () => readerClient.GetFromJsonAsync<CatalogItem>("/api/catalog/items/1", Ct),
            read => read!.Price == 123.45m, "the reader replica to serve the new price");
        Assert.Equal(123.45m, seen!.Price);
    }

    [Fact]
    public async Task An_instance_that_misses_an_announcement_serves_the_new_item_once_its_local_entry_expires()
    {
        var settings = await CatalogSettings.CreateAsync(infrastructure, "catalog_local_expiry");
        await using var replica = new ServiceFactory<Program>(settings);
        using var client = replica.CreateClient();
        var localDuration = replica.Services.GetRequiredService<IOptions<CatalogOptions>>().Value.ItemLocalCacheDuration;
        Assert.Equal(TimeSpan.FromSeconds(1), localDuration);
        await using var redisConnection = await ConnectionMultiplexer.ConnectAsync(settings["ConnectionStrings:cache"]!);

        var cached = await client.GetFromJsonAsync<CatalogItem>("/api/catalog/items/2", Ct);
        var entryFilled = DateTime.UtcNow;
        // A change no announcement tells of (as while Redis is away): only the entry's expiry lets the new price through.
        await using (var connection = await replica.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("UPDATE catalog_items SET price = price + 1 WHERE id = 2");
        }
        await redisConnection.GetDatabase().KeyDeleteAsync(CatalogItemCache.KeyFor(2));

        // The entry was filled before entryFilled, so it has expired by then plus the local duration (by the clock, not a
        // timer, which may fire a little early).
        while (DateTime.UtcNow <= entryFilled + localDuration)
        {
            await Task.Delay(50, Ct);
        }
        var afterExpiry = await client.GetFromJsonAsync<CatalogItem>("/api/catalog/items/2", Ct);
        Assert.Equal(cached!.Price + 1, afterExpiry!.Price);
    }
}
