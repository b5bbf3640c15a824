using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MsaShop.Caching;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public static class RedisCachingExtensions
{
    /// <summary>
    /// <see cref="IDistributedCache"/> over Redis at <c>ConnectionStrings:{connectionName}</c> (the form Aspire injects,
    /// <c>host:port[,password=...][,ssl=true]</c>): Aspire.StackExchange.Redis makes the one connection, with its logging
    /// and tracing, and Microsoft.Extensions.Caching.StackExchangeRedis puts the cache on it, as Aspire's
    /// distributed-caching integration does. Any other <see cref="IDistributedCache"/> can replace this one line.
    /// </summary>
    public static IHostApplicationBuilder AddRedisDistributedCache(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.AddRedisClient(
            connectionName,
            // Aspire's check reports Unhealthy; the one below says Degraded instead.
            settings => settings.DisableHealthChecks = true,
            // While Redis is away a cache call fails at once (the caller reads PostgreSQL) instead of queueing until
            // the connection is back or the command times out.
            options => options.BacklogPolicy = BacklogPolicy.FailFast);

        builder.Services.AddStackExchangeRedisCache(_ => { });
        builder.Services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((cache, services) =>
            cache.ConnectionMultiplexerFactory = () => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>()));

        // Without its cache the service still answers, only slower: it stays in rotation and says Degraded.
        builder.Services.AddHealthChecks().AddRedis(
            services => services.GetRequiredService<IConnectionMultiplexer>(), connectionName, HealthStatus.Degraded);
        return builder;
    }

    /// <summary>
    /// <see cref="HybridCache"/>: an in-process level in front of Redis (<see cref="AddRedisDistributedCache"/>), whose
    /// hits cost no round trip. Entries live <paramref name="localExpiration"/> in process at most, and
    /// <see cref="CacheInvalidation"/> removes them from every instance when the data changes.
    /// </summary>
    public static IHybridCacheBuilder AddRedisHybridCache(this IHostApplicationBuilder builder, string connectionName,
        TimeSpan localExpiration)
    {
        builder.AddRedisDistributedCache(connectionName);
        builder.Services.AddSingleton<CacheInvalidation>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CacheInvalidation>());
        return builder.Services.AddHybridCache(cache =>
            cache.DefaultEntryOptions = new HybridCacheEntryOptions { LocalCacheExpiration = localExpiration });
    }
}
