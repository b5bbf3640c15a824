using MsaShop.Caching;

namespace MsaShop.Benchmarks;

/// <summary>
/// Claim: <see cref="RedisClient"/>'s connection pool serves concurrent callers side by side, one connection
/// each, instead of queueing them on one socket.
/// </summary>
public static class RespClientThroughput
{
    public const string Sequential = "GET 1 KiB, 1 caller";
    public const string Concurrent = "GET 1 KiB, 8 concurrent callers";

    private const string Key = "benchmark:value-1kib";
    private const int ValueLength = 1024;

    public static async Task<IReadOnlyList<Measurement>> RunAsync(string redisConnectionString, Rounds rounds, CancellationToken cancellationToken)
    {
        await using var redis = new RedisClient(RedisOptions.Parse(redisConnectionString));
        await redis.SetAsync(Key, new byte[ValueLength], cancellationToken: cancellationToken);

        async Task GetAsync(int _, CancellationToken ct)
        {
            if (await redis.GetAsync(Key, ct) is not { Length: ValueLength })
            {
                throw new InvalidOperationException($"GET {Key} did not return the {ValueLength}-byte value.");
            }
        }

        BenchmarkCase[] cases = [new(Sequential, GetAsync, Callers: 1), new(Concurrent, GetAsync, Callers: 8)];
        return await SideBySide.RunAsync(cases, rounds, cancellationToken);
    }
}
