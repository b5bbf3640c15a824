using Npgsql;

namespace MsaShop.Testing;

/// <summary>
/// One database of the shared PostgreSQL server made unreachable, the way an outage looks to the service that
/// owns it: its open connections are cut and new ones refused. Every other database keeps running, so tests
/// in parallel are not disturbed. Disposing ends the outage.
/// </summary>
public sealed class DatabaseOutage : IAsyncDisposable
{
    private readonly InfrastructureFixture _fixture;
    private readonly string _database;
    private bool _ended;

    private DatabaseOutage(InfrastructureFixture fixture, string database) => (_fixture, _database) = (fixture, database);

    public static async Task<DatabaseOutage> BeginAsync(InfrastructureFixture fixture, string connectionString)
    {
        var outage = new DatabaseOutage(fixture, new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new ArgumentException("The connection string names no database.", nameof(connectionString)));
        await outage.RunAsync($"""
            ALTER DATABASE "{outage._database}" ALLOW_CONNECTIONS false;
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{outage._database}';
            """);
        return outage;
    }

    public async Task EndAsync()
    {
        if (!_ended)
        {
            await RunAsync($"""ALTER DATABASE "{_database}" ALLOW_CONNECTIONS true""");
            _ended = true;
        }
    }

    public ValueTask DisposeAsync() => new(EndAsync());

    private async Task RunAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_fixture.Postgres.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
