using Dapper;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MsaShop.Catalog;
using MsaShop.Catalog.Caching;
using MsaShop.Catalog.Data;
using MsaShop.Contracts;
using MsaShop.Harness;
using Npgsql;

namespace MsaShop.Benchmarks;

/// <summary>
/// Claim: a cached catalog item is read faster from Redis than from PostgreSQL, and faster still from the instance's
/// memory. Every read goes through the catalog's own code: its repository's query, the <see cref="IDistributedCache"/>
/// that <c>AddRedisDistributedCache</c> registers (Microsoft.Extensions.Caching.StackExchangeRedis on Aspire's
/// StackExchange.Redis connection), and its item cache (HybridCache's in-process level in front of that Redis).
/// </summary>
public static class CatalogItemReads
{
    private const int CatalogSize = 10_000;
    private const int ItemsRead = 100;

    public const string PostgreSql = "PostgreSQL (CatalogItemRepository.FindAsync)";
    public const string RedisHit = "Redis hit (IDistributedCache.GetAsync: StackExchange.Redis)";
    public const string InProcessHit = "in-process hit (CatalogItemCache.GetJsonAsync: HybridCache)";

    /// <summary>Concurrent callers in the second comparison: StackExchange.Redis multiplexes them on one connection.</summary>
    public const int ConcurrentCallers = 8;

    /// <summary>One caller: the three reads side by side. Then <see cref="ConcurrentCallers"/>: PostgreSQL vs the cached read.</summary>
    public static async Task<(IReadOnlyList<Measurement> OneCaller, IReadOnlyList<Measurement> Concurrent)> RunAsync(
        IEnumerable<KeyValuePair<string, string?>> connectionStrings, Rounds rounds, CancellationToken cancellationToken)
    {
        using var host = BuildCatalogHost(connectionStrings);
        await host.StartAsync(cancellationToken); // applies the catalog's migrations
        try
        {
            var repository = host.Services.GetRequiredService<CatalogItemRepository>();
            var itemCache = host.Services.GetRequiredService<CatalogItemCache>();
            var cache = host.Services.GetRequiredService<IDistributedCache>();

            var ids = await SeedAsync(host.Services.GetRequiredService<NpgsqlDataSource>(), cancellationToken);
            foreach (var id in ids)
            {
                await itemCache.GetJsonAsync(id, cancellationToken); // a miss: reads PostgreSQL and fills both levels
            }
            int IdFor(int index) => ids[index % ids.Count];
            Task FromPostgreSql(int i, CancellationToken ct) => repository.FindAsync(IdFor(i), ct);
            Task FromItemCache(int i, CancellationToken ct) => itemCache.GetJsonAsync(IdFor(i), ct).AsTask();

            BenchmarkCase[] oneCaller =
            [
                new(PostgreSql, FromPostgreSql),
                new(RedisHit, async (i, ct) => _ = await cache.GetAsync(CatalogItemCache.KeyFor(IdFor(i)), ct)
                    ?? throw new InvalidOperationException($"Item {IdFor(i)} is not cached: this would time a miss.")),
                new(InProcessHit, FromItemCache),
            ];
            BenchmarkCase[] concurrent =
            [
                new(PostgreSql, FromPostgreSql, ConcurrentCallers),
                new(InProcessHit, FromItemCache, ConcurrentCallers),
            ];
            return (await SideBySide.RunAsync(oneCaller, rounds, cancellationToken),
                await SideBySide.RunAsync(concurrent, rounds, cancellationToken));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The catalog's data and cache registrations, as <c>AddCatalogServices</c> makes them, without its message bus.</summary>
    private static IHost BuildCatalogHost(IEnumerable<KeyValuePair<string, string?>> connectionStrings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(connectionStrings);
        builder.AddNpgsqlDataSource(ResourceNames.CatalogDb);
        builder.AddDatabaseMigrations(typeof(CatalogItemRepository).Assembly);
        // Both levels longer than the run, so no timed read is a miss.
        builder.AddRedisHybridCache(ResourceNames.Cache, localExpiration: TimeSpan.FromHours(1))
            .AddSerializer<CachedCatalogItem, CachedCatalogItemSerializer>();
        builder.Services.AddOptions<CatalogOptions>().Configure(options =>
        {
            options.ItemCacheDuration = TimeSpan.FromHours(1);
            options.ItemLocalCacheDuration = TimeSpan.FromHours(1);
        });
        builder.Services.AddSingleton<CatalogItemRepository>();
        builder.Services.AddSingleton<CatalogItemCache>();
        return builder.Build();
    }

    /// <summary>Fills the catalog, so a read is a primary-key lookup in a table of realistic size; returns the ids to read.</summary>
    private static async Task<IReadOnlyList<int>> SeedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO catalog_items (name, description, price, available_stock)
            SELECT 'Product ' || n, 'Product number ' || n || ' of the benchmark catalog, with a description of ordinary length.',
                   9.99 + n % 100, 100
            FROM generate_series(1, @count) AS n;
            ANALYZE catalog_items;
            """,
            new { count = CatalogSize }, cancellationToken: cancellationToken));
        return (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT id FROM catalog_items ORDER BY random() LIMIT @count", new { count = ItemsRead },
            cancellationToken: cancellationToken))).AsList();
    }
}
