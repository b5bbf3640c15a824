using MsaShop.Testing;

namespace MsaShop.Catalog.Tests.Support;

/// <summary>Connection strings for one isolated catalog: a fresh database, a fresh vhost, a Redis database of its own.</summary>
public static class CatalogSettings
{
    private static int s_lastRedisDatabase;

    public static async Task<Dictionary<string, string?>> CreateAsync(InfrastructureFixture infrastructure, string prefix, string? cache = null)
    {
        // Every catalog numbers its items 1..100: a Redis database each keeps their cached items apart.
        var redisDatabase = Interlocked.Increment(ref s_lastRedisDatabase) % 15 + 1;
        return new Dictionary<string, string?>
        {
            ["ConnectionStrings:catalogdb"] = await infrastructure.CreateDatabaseAsync(prefix),
            ["ConnectionStrings:messaging"] = await infrastructure.CreateVirtualHostAsync(prefix),
            ["ConnectionStrings:cache"] = $"{cache ?? infrastructure.Redis.ConnectionString},defaultDatabase={redisDatabase}",
        };
    }
}
