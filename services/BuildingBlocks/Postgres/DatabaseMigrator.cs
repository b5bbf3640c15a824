using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MsaShop.Postgres;

/// <summary>
/// Applies pending migration scripts once, however many replicas start at the same moment: the first
/// takes a session-level advisory lock, the others wait on it and then find nothing left to do.
/// Runs in <see cref="StartingAsync"/>, before any hosted service (message bus, outbox, web server) starts, unless
/// <see cref="PostgresOptions.Migrations"/> says a release's migrations Job does it instead.
/// </summary>
internal sealed partial class DatabaseMigrator(
    NpgsqlDataSource dataSource, IEnumerable<MigrationScripts> scripts, IOptions<PostgresOptions> options, ILogger<DatabaseMigrator> logger)
    : IHostedLifecycleService
{
    // Any constant shared by every replica of every service: each service has its own database anyway.
    private const long MigrationLockKey = 0x4D7361536870; // "MsaShp"

    private string? DatabaseName => new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Database;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var mode = options.Value.Migrations;
        if (mode == DatabaseMigrationMode.Skip)
        {
            LogSkipped(logger, DatabaseName);
            return;
        }

        await MigrateAsync(cancellationToken);
        if (mode == DatabaseMigrationMode.Only)
        {
            // Nothing else has started (no consumer, no listener): leaving now is a clean, complete run.
            LogMigratedOnly(logger, DatabaseName);
            Environment.Exit(0);
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = MigrationLockKey }, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<string>("SELECT version FROM schema_migrations")).ToHashSet();
            foreach (var (version, sql) in scripts.SelectMany(s => s.Load()).Where(s => !applied.Contains(s.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations (version) VALUES (@version)", new { version }, transaction,
                    cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                LogApplied(logger, version, connection.Database);
            }
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = MigrationLockKey });
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Migrations of {Database} are left to the release's migrations Job (Postgres:Migrations=Skip)")]
    private static partial void LogSkipped(ILogger logger, string? database);

    [LoggerMessage(LogLevel.Information, "{Database} is migrated; exiting (Postgres:Migrations=Only)")]
    private static partial void LogMigratedOnly(ILogger logger, string? database);

    [LoggerMessage(LogLevel.Information, "Applied migration {Version} to {Database}")]
    private static partial void LogApplied(ILogger logger, string version, string database);
}
