using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MsaShop.Caching;

/// <summary>
/// Removes HybridCache entries on every instance of the service, not only this one: HybridCache's in-process level is
/// per instance, so each removal is also announced on a Redis channel, and every other instance removes the entries on
/// hearing it (HybridCache removes both levels; Redis loses nothing by a second removal). An announcement missed (Redis
/// away) is bounded by the entries' local expiration.
/// </summary>
public sealed partial class CacheInvalidation(HybridCache cache, IConnectionMultiplexer redis, ILogger<CacheInvalidation> logger)
    : BackgroundService
{
    // Channels span a Redis server's databases: one per database keeps services that share a server apart.
    private readonly RedisChannel _channel = RedisChannel.Literal($"msashop:cache:removed:{redis.GetDatabase().Database}");

    // Announcements carry their sender, which has already removed the entries.
    private readonly string _instance = Guid.NewGuid().ToString("N");

    /// <summary>Removes <paramref name="keys"/> here (both levels) and from every other instance's in-process level.</summary>
    public async Task RemoveEverywhereAsync(IReadOnlyCollection<string> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        // Not the caller's token: a client that leaves right after its write must not leave the old entry behind.
        await cache.RemoveAsync(keys, CancellationToken.None);
        try
        {
            await redis.GetSubscriber().PublishAsync(_channel, $"{_instance}\n{string.Join('\n', keys)}");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogAnnouncementFailed(logger, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // StackExchange.Redis subscribes again by itself after a reconnect.
            await redis.GetSubscriber().SubscribeAsync(_channel, (channel, message) => _ = RemoveAnnouncedAsync(message));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogSubscriptionFailed(logger, ex);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await redis.GetSubscriber().UnsubscribeAsync(_channel);
        await base.StopAsync(cancellationToken);
    }

    private async Task RemoveAnnouncedAsync(RedisValue message)
    {
        var parts = ((string?)message ?? "").Split('\n');
        if (parts.Length < 2 || parts[0] == _instance)
        {
            return;
        }

        try
        {
            await cache.RemoveAsync(parts[1..], CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogRemovalFailed(logger, ex);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Announcing removed cache entries to the other instances failed; they expire there by themselves")]
    private static partial void LogAnnouncementFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Subscribing to removed cache entries failed; entries here expire by themselves")]
    private static partial void LogSubscriptionFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Removing cache entries another instance announced failed")]
    private static partial void LogRemovalFailed(ILogger logger, Exception exception);
}
