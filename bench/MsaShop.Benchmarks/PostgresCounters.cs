using Dapper;
using MsaShop.Harness;
using Npgsql;

namespace MsaShop.Benchmarks;

/// <summary>One statement's share of a run: how often it ran per order, and the time PostgreSQL spent in it per order.</summary>
internal sealed record StatementCost(string Database, string Query, double CallsPerOrder, double MillisecondsPerOrder);

/// <summary>What each service's database did over a run, per accepted order: transactions, statements, the statements themselves.</summary>
internal sealed record DatabaseCost(IReadOnlyDictionary<string, double> TransactionsPerOrder,
    IReadOnlyDictionary<string, double> StatementsPerOrder,
    IReadOnlyList<StatementCost> Statements)
{
    public double Transactions => TransactionsPerOrder.Values.Sum();

    public double StatementCount => StatementsPerOrder.Values.Sum();
}

/// <summary>
/// PostgreSQL's own counters (pg_stat_database for committed transactions, pg_stat_statements for statements) over a run,
/// read as the superuser from the maintenance database. The benchmark's own queries carry a marker and are left out.
/// </summary>
internal sealed class PostgresCounters(PostgresServer postgres)
{
    /// <summary>A comment in every query the benchmark sends, so that its own statements are not counted as the shop's.</summary>
    public const string Marker = "/* msashop-benchmark */";

    private Dictionary<string, long> _commitsAtStart = [];

    // Each question the benchmark asks a service's database while waiting is one transaction there.
    private readonly Dictionary<string, long> _ownTransactions = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync("postgres", cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition($"{Marker} CREATE EXTENSION IF NOT EXISTS pg_stat_statements", cancellationToken: cancellationToken));
        await connection.ExecuteAsync(
            new CommandDefinition($"{Marker} SELECT pg_stat_statements_reset()", cancellationToken: cancellationToken));
        _commitsAtStart = await CommitsAsync(connection, cancellationToken);
        _ownTransactions.Clear();
    }

    /// <summary>Waits until the saga has nothing in flight and every outbox is empty (or the timeout passes).</summary>
    public async Task WaitUntilSettledAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var database in ResourceNames.Databases)
        {
            await using var connection = await OpenAsync(database, cancellationToken);
            var sql = database == ResourceNames.OrderingDb
                ? $"{Marker} SELECT (SELECT count(*) FROM orders WHERE status IN ('Submitted', 'AwaitingPayment')) + (SELECT count(*) " +
                    $"FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL)"
                : $"{Marker} SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL";
            while (true)
            {
                _ownTransactions[database] = _ownTransactions.GetValueOrDefault(database) + 1;
                if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: cancellationToken)) == 0
                    || DateTime.UtcNow >= deadline)
                {
                    break;
                }
                await Task.Delay(200, cancellationToken);
            }
        }
        // The last events' consumers (OrderCompleted in catalog and payment) finish right after the outboxes empty.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
    }

    /// <summary>The counters since <see cref="StartAsync"/>, per accepted order, less the benchmark's own transactions.</summary>
    public async Task<DatabaseCost> ReadAsync(int orders, CancellationToken cancellationToken)
    {
        orders = Math.Max(1, orders);
        await using var connection = await OpenAsync("postgres", cancellationToken);
        var commits = await CommitsAsync(connection, cancellationToken);
        var statements =
            (await connection.QueryAsync<(string Database, string Query, long Calls, double Milliseconds)>(new CommandDefinition(
            $"""
            {Marker} SELECT d.datname, regexp_replace(s.query, '\s+', ' ', 'g'), s.calls, s.total_exec_time
            FROM pg_stat_statements AS s JOIN pg_database AS d ON d.oid = s.dbid
            WHERE d.datname = ANY(@databases) AND s.query NOT LIKE '%msashop-benchmark%'
            """,
            new { databases = ResourceNames.Databases.ToArray() }, cancellationToken: cancellationToken)))
            .Select(s => new StatementCost(s.Database, s.Query, s.Calls / (double)orders, s.Milliseconds / orders))
            .ToList();
        var transactions = ResourceNames.Databases.ToDictionary(
            db => db,
            db =>
                (commits.GetValueOrDefault(db) - _commitsAtStart.GetValueOrDefault(db)
                - _ownTransactions.GetValueOrDefault(db)) / (double)orders);
        return new DatabaseCost(
            transactions,
            ResourceNames.Databases.ToDictionary(db => db, db => statements.Where(s => s.Database == db).Sum(s => s.CallsPerOrder)),
            statements.OrderByDescending(s => s.CallsPerOrder).ToList());
    }

    private static async Task<Dictionary<string, long>> CommitsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(string Database, long Commits)>(new CommandDefinition(
            $"{Marker} SELECT datname, xact_commit FROM pg_stat_database WHERE datname = ANY(@databases)",
            new { databases = ResourceNames.Databases.ToArray() }, cancellationToken: cancellationToken)))
        .ToDictionary(r => r.Database, r => r.Commits);

    private async Task<NpgsqlConnection> OpenAsync(string database, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(postgres.ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
