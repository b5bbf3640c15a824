using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MsaShop.Caching;

/// <summary>
/// Reports the registration's failure status (Degraded for a cache) when Redis does not answer a PING:
/// the service still works without its cache, only slower.
/// </summary>
internal sealed class RedisHealthCheck(RedisClient redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await redis.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (RedisException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis does not answer", ex);
        }
    }
}
