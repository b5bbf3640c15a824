using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MsaShop.Catalog.Caching;
using MsaShop.Catalog.Data;
using MsaShop.Catalog.Tests.Support;
using MsaShop.Contracts;
using MsaShop.Harness;
using MsaShop.Testing;
using StackExchange.Redis;

namespace MsaShop.Catalog.Tests;

/// <summary>The cache is an optimisation: without Redis the catalog serves from PostgreSQL and says Degraded.</summary>
public sealed class CacheOutageTests(InfrastructureFixture infrastructure)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_Redis_reads_come_from_PostgreSQL_and_health_is_Degraded_until_it_returns()
    {
        // A Redis of this test's own: stopping it disturbs no other test.
        await using var ownRedis = await BackingServers.StartAsync(
            new BackingServersOptions { Postgres = false, RabbitMq = false }, Ct);
        var redis = ownRedis.Redis!;
        var settings = await CatalogSettings.CreateAsync(infrastructure, "catalog_outage", redis);
        await using var catalog = new ServiceFactory<Program>(settings);
        using var client = catalog.CreateClient();
        var cached = await client.GetFromJsonAsync<CatalogItem>("/api/catalog/items/1", Ct);

        await redis.StopAsync();
        var fromDatabase = await client.GetFromJsonAsync<CatalogItem>("/api/catalog/items/1", Ct);
        var neverCached = await client.GetAsync("/api/catalog/items/2", Ct);
        var (status, checks) = await HealthAsync(client);

        Assert.Equal(cached, fromDatabase);
        Assert.Equal(HttpStatusCode.OK, neverCached.StatusCode);
        Assert.Equal((HttpStatusCode.OK, "Degraded"), status);
        Assert.Equal("Degraded", checks.GetProperty("cache").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("PostgreSql").GetProperty("status").GetString());

        await redis.StartAsync(Ct);
        await Eventually.ReturnsAsync(async () => (await HealthAsync(client)).Checks.GetProperty("cache").GetProperty("status").GetString(),
            s => s == "Healthy", "the cache check to recover");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(settings["ConnectionStrings:cache"]!);
        await Eventually.TrueAsync(async () =>
            {
                using var response = await client.GetAsync("/api/catalog/items/1", Ct);
                return await connection.GetDatabase().KeyExistsAsync(CatalogItemCache.KeyFor(1));
            },
            "the item to be cached again");
    }

    private static async Task<((HttpStatusCode, string?) Status, JsonElement Checks)> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health", Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return ((response.StatusCode, body.GetProperty("status").GetString()), body.GetProperty("checks"));
    }
}
