using Microsoft.Extensions.Caching.Distributed;

namespace MsaShop.Caching.Tests;

/// <summary>IDistributedCache semantics over the RESP client, against a real redis-server.</summary>
public sealed class RedisDistributedCacheTests(RedisFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Set_get_and_remove_round_trip_any_bytes()
    {
        await using var redis = fixture.CreateClient();
        var cache = new RedisDistributedCache(redis, TimeProvider.System);
        byte[] value = [0, 13, 10, 255, 42];

        Assert.Null(await cache.GetAsync("item", Ct));
        await cache.SetAsync("item", value, new DistributedCacheEntryOptions(), Ct);
        Assert.Equal(value, await cache.GetAsync("item", Ct));
        Assert.Equal(value, cache.Get("item"));
        await cache.RemoveAsync("item", Ct);
        Assert.Null(await cache.GetAsync("item", Ct));
    }

    [Fact]
    public async Task Absolute_expiry_becomes_the_keys_time_to_live()
    {
        await using var redis = fixture.CreateClient();
        var cache = new RedisDistributedCache(redis, TimeProvider.System);

        await cache.SetAsync("soon", [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMilliseconds(300) }, Ct);
        await cache.SetAsync("later", [2], new DistributedCacheEntryOptions { AbsoluteExpiration = DateTimeOffset.UtcNow.AddHours(1) }, Ct);

        Assert.InRange(await TimeToLiveAsync(redis, "later"), 3_500_000, 3_600_000);
        await Eventually.TrueAsync(async () => await cache.GetAsync("soon", Ct) is null, "the entry to expire");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            cache.SetAsync("past", [3], new DistributedCacheEntryOptions { AbsoluteExpiration = DateTimeOffset.UtcNow.AddMinutes(-1) }, Ct));
    }

    [Fact]
    public async Task A_read_pushes_a_sliding_entry_forward_but_never_past_its_absolute_expiry()
    {
        await using var redis = fixture.CreateClient();
        var cache = new RedisDistributedCache(redis, TimeProvider.System);
        var sliding = new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10) };
        var capped = new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10), AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(2) };

        await cache.SetAsync("sliding", [1], sliding, Ct);
        await cache.SetAsync("capped", [2], capped, Ct);
        await redis.ExpireAsync("sliding", TimeSpan.FromMinutes(1), Ct); // as if nine minutes had passed
        await redis.ExpireAsync("capped", TimeSpan.FromMinutes(1), Ct);

        Assert.Equal([1], await cache.GetAsync("sliding", Ct));
        await cache.RefreshAsync("capped", Ct);

        Assert.InRange(await TimeToLiveAsync(redis, "sliding"), 540_000, 600_000);
        Assert.InRange(await TimeToLiveAsync(redis, "capped"), 60_001, 120_000);
    }

    private static async Task<long> TimeToLiveAsync(RedisClient redis, string key) =>
        Assert.IsType<RedisReply.Number>(await redis.ExecuteAsync(Ct, "PTTL", key)).Value;
}
