using MsaShop.LocalInfrastructure;

[assembly: AssemblyFixture(typeof(MsaShop.Caching.Tests.RedisFixture))]

namespace MsaShop.Caching.Tests;

/// <summary>One real redis-server for the assembly (no PostgreSQL or RabbitMQ: the client needs neither).</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private static int s_lastDatabase;
    private LocalInfrastructure.LocalInfrastructure? _infrastructure;

    public RedisServer Redis => _infrastructure?.Redis ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() =>
        _infrastructure = await StartRedisAsync();

    /// <summary>A Redis server of the caller's own, e.g. to stop and restart it.</summary>
    public static Task<LocalInfrastructure.LocalInfrastructure> StartRedisAsync() =>
        LocalInfrastructure.LocalInfrastructure.StartAsync(
            new LocalInfrastructureOptions { Postgres = false, RabbitMq = false }, TestContext.Current.CancellationToken);

    /// <summary>A client on a logical database no other test class uses.</summary>
    public RedisClient CreateClient(Func<RedisOptions, RedisOptions>? configure = null)
    {
        var options = RedisOptions.Parse(Redis.ConnectionString) with { Database = Interlocked.Increment(ref s_lastDatabase) % 16 };
        return new RedisClient(configure?.Invoke(options) ?? options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_infrastructure is not null)
        {
            await _infrastructure.DisposeAsync();
        }
    }
}
