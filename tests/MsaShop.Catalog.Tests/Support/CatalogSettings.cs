using MsaShop.Harness;
using MsaShop.Testing;

namespace MsaShop.Catalog.Tests.Support;

/// <summary>Connection strings for one isolated catalog: a fresh database, a fresh vhost, a Redis database of its own.</summary>
public static class CatalogSettings
{
    public static async Task<Dictionary<string, string?>> CreateAsync(InfrastructureFixture infrastructure, string prefix,
        RedisServer? redis = null) =>
        new()
        {
            ["ConnectionStrings:catalogdb"] = await infrastructure.CreateDatabaseAsync(prefix),
            ["ConnectionStrings:messaging"] = await infrastructure.CreateVirtualHostAsync(prefix),
            ["ConnectionStrings:cache"] = infrastructure.CreateCache(redis),
        };
}
