using System.Buffers.Binary;
using Microsoft.Extensions.Caching.Distributed;

namespace MsaShop.Caching;

/// <summary>
/// <see cref="IDistributedCache"/> over <see cref="RedisClient"/>. Each entry is one Redis string: a 16-byte
/// header (sliding expiry in ms, absolute expiry as Unix ms; 0 = none) then the value. The key's own TTL
/// does the expiring; a read of a sliding entry pushes its TTL forward, never past the absolute expiry.
/// </summary>
public sealed class RedisDistributedCache(RedisClient redis, TimeProvider timeProvider) : IDistributedCache
{
    private const int HeaderLength = 16;

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        var stored = await redis.GetAsync(key, token);
        if (stored is null || stored.Length < HeaderLength)
        {
            return null;
        }
        await SlideAsync(key, stored, token);
        return stored[HeaderLength..];
    }

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var now = timeProvider.GetUtcNow();
        var absolute = options.AbsoluteExpiration ?? now + options.AbsoluteExpirationRelativeToNow;
        if (absolute <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(options), absolute, "The absolute expiration must be in the future.");
        }
        var stored = new byte[HeaderLength + value.Length];
        BinaryPrimitives.WriteInt64LittleEndian(stored, (long)(options.SlidingExpiration?.TotalMilliseconds ?? 0));
        BinaryPrimitives.WriteInt64LittleEndian(stored.AsSpan(8), absolute?.ToUnixTimeMilliseconds() ?? 0);
        value.CopyTo(stored, HeaderLength);
        await redis.SetAsync(key, stored, TimeToLive(options.SlidingExpiration, absolute, now), token);
    }

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        if (await redis.GetAsync(key, token) is { Length: >= HeaderLength } stored)
        {
            await SlideAsync(key, stored, token);
        }
    }

    public async Task RemoveAsync(string key, CancellationToken token = default) =>
        await redis.DeleteAsync(key, token);

    // The synchronous members exist for the interface; MsaShop calls the asynchronous ones.
    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    private async Task SlideAsync(string key, byte[] stored, CancellationToken token)
    {
        var sliding = BinaryPrimitives.ReadInt64LittleEndian(stored);
        if (sliding <= 0)
        {
            return;
        }
        var absoluteMs = BinaryPrimitives.ReadInt64LittleEndian(stored.AsSpan(8));
        DateTimeOffset? absolute = absoluteMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(absoluteMs) : null;
        var now = timeProvider.GetUtcNow();
        if (TimeToLive(TimeSpan.FromMilliseconds(sliding), absolute, now) is { } ttl && ttl > TimeSpan.Zero)
        {
            await redis.ExpireAsync(key, ttl, token);
        }
    }

    private static TimeSpan? TimeToLive(TimeSpan? sliding, DateTimeOffset? absolute, DateTimeOffset now)
    {
        var untilAbsolute = absolute - now;
        return (sliding, untilAbsolute) switch
        {
            ({ } s, { } a) => s < a ? s : a,
            _ => sliding ?? untilAbsolute,
        };
    }
}
