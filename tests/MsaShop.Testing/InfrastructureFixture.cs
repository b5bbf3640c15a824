using Xunit;
using MsaShop.Harness;

namespace MsaShop.Testing;

/// <summary>
/// Real PostgreSQL, Redis and RabbitMQ, started once per test assembly:
/// <c>[assembly: AssemblyFixture(typeof(InfrastructureFixture))]</c>, then take it in a constructor.
/// </summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    private BackingServers? _infrastructure;

    public BackingServers Infrastructure =>
        _infrastructure ?? throw new InvalidOperationException("the fixture has not started");

    public PostgresServer Postgres => Infrastructure.Postgres!;

    public RedisServer Redis => Infrastructure.Redis!;

    public RabbitMqServer RabbitMq => Infrastructure.RabbitMq!;

    public async ValueTask InitializeAsync() =>
        _infrastructure = await BackingServers.StartAsync();

    /// <summary>A fresh, empty database: isolates one test class's data from the others.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
        await Postgres.CreateDatabaseAsync(name);
        return Postgres.ConnectionString(name);
    }

    private int _lastCacheDatabase;

    /// <summary>
    /// A Redis database of one test class's own: catalogs of different tests number their items alike, and must not read
    /// each other's cached items, so a database is never handed out twice. It is empty: the server keeps no data across
    /// starts, and nothing else uses the numbered databases.
    /// </summary>
    public string CreateCache(RedisServer? server = null)
    {
        server ??= Redis;
        var database = Interlocked.Increment(ref _lastCacheDatabase);
        if (database >= RedisServer.Databases)
        {
            throw new InvalidOperationException($"every one of Redis's {RedisServer.Databases} databases is taken");
        }
        return $"{server.ConnectionString},defaultDatabase={database}";
    }

    /// <summary>A fresh RabbitMQ virtual host: isolates one test class's queues and exchanges.</summary>
    public Task<string> CreateVirtualHostAsync(string prefix) =>
        RabbitMq.CreateVirtualHostAsync($"{prefix}-{Guid.NewGuid():N}");

    /// <summary>Cuts off one database (<see cref="DatabaseOutage"/>) until the returned outage is ended or disposed.</summary>
    public Task<DatabaseOutage> TakeDatabaseOfflineAsync(string connectionString) => DatabaseOutage.BeginAsync(this, connectionString);

    public async ValueTask DisposeAsync()
    {
        if (_infrastructure is not null)
        {
            await _infrastructure.DisposeAsync();
        }
    }
}
