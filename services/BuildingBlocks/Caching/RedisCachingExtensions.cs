using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MsaShop.Caching;

namespace Microsoft.Extensions.Hosting;

public static class RedisCachingExtensions
{
    /// <summary>
    /// Registers <see cref="IDistributedCache"/> backed by Redis at <c>ConnectionStrings:{connectionName}</c>
    /// ("host:port", the form Aspire injects), and a health check that reports Degraded, not Unhealthy,
    /// when Redis is down. Any other <see cref="IDistributedCache"/> can replace this one line.
    /// </summary>
    public static IHostApplicationBuilder AddRedisDistributedCache(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string 'ConnectionStrings:{connectionName}' is not configured.");
        builder.Services.AddSingleton(new RedisClient(RedisOptions.Parse(connectionString)));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IDistributedCache, RedisDistributedCache>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(connectionName, HealthStatus.Degraded, ["ready"]);
        return builder;
    }
}
