using System.Net.Http.Json;
using Dapper;
using MsaShop.Catalog.Caching;
using MsaShop.Catalog.Data;
using MsaShop.Catalog.Tests.Support;
using StackExchange.Redis;

namespace MsaShop.Catalog.Tests;

/// <summary>Cache-aside: a miss fills Redis, a hit skips PostgreSQL, an update removes the entry.</summary>
public sealed class ItemCacheTests(CatalogService catalog) : IClassFixture<CatalogService>
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
        Assert.True(await redis.KeyExistsAsync(key));

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
}
