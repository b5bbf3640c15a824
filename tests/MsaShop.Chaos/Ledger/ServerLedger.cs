using Dapper;
using MsaShop.Chaos.Shop;
using MsaShop.Harness;
using Npgsql;

namespace MsaShop.Chaos.Ledger;

/// <summary>
/// The part of the books the public API cannot show, read straight from the services' databases and the broker
/// once a scenario is over (the load generator's ledger check reads the rest: orders terminal, charges = completed,
/// stock): the provider kept no charge twice and none of a cancelled order, every outbox is drained with no row set
/// aside, and no message sits in an error queue. It also tells when the saga caught up after a fault.
/// </summary>
public sealed class ServerLedger(ChaosShop shop)
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    private const string UnfinishedOrders =
        "SELECT count(*) FROM orders WHERE created_at >= @since AND status NOT IN ('Completed', 'Cancelled')";

    private const string PendingOutboxRows = "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL";

    private IEnumerable<string> Databases => ResourceNames.Databases.Select(shop.DatabaseConnectionString);

    private string OrderingDb => shop.DatabaseConnectionString(ResourceNames.OrderingDb);

    private string PaymentDb => shop.DatabaseConnectionString(ResourceNames.PaymentDb);

    /// <summary>
    /// Waits until every order created since <paramref name="since"/> is Completed or Cancelled and every outbox is
    /// drained, at most until <paramref name="deadline"/>; returns when that was first seen, or null if it was not.
    /// </summary>
    public async Task<DateTime?> WaitUntilCaughtUpAsync(DateTime since, DateTime deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await IsCaughtUpAsync(since, cancellationToken))
            {
                return DateTime.UtcNow;
            }
            if (DateTime.UtcNow > deadline)
            {
                return null;
            }
            await Task.Delay(Pause, cancellationToken);
        }
    }

    private async Task<bool> IsCaughtUpAsync(DateTime since, CancellationToken cancellationToken)
    {
        try
        {
            if (await ScalarAsync(OrderingDb, UnfinishedOrders, new { since }, cancellationToken) > 0)
            {
                return false;
            }
            foreach (var database in Databases)
            {
                if (await ScalarAsync(database, PendingOutboxRows, null, cancellationToken) > 0)
                {
                    return false;
                }
            }
            return true;
        }
        catch (NpgsqlException)
        {
            return false; // PostgreSQL itself is still coming back
        }
    }

    /// <summary>When the saga completed each order created since <paramref name="since"/> (its last update).</summary>
    public async Task<IReadOnlyList<DateTime>> CompletionsSinceAsync(DateTime since, CancellationToken cancellationToken)
    {
        await using var ordering = new NpgsqlConnection(OrderingDb);
        return [.. await ordering.QueryAsync<DateTime>(new CommandDefinition(
            "SELECT updated_at FROM orders WHERE created_at >= @since AND status = 'Completed'", new { since },
            cancellationToken: cancellationToken))];
    }

    /// <summary>Checks the promises for the orders created since <paramref name="since"/>, once they are terminal.</summary>
    public async Task<IReadOnlyList<LedgerFinding>> CheckAsync(DateTime since, CancellationToken cancellationToken)
    {
        await using var ordering = new NpgsqlConnection(OrderingDb);
        var orders = (await ordering.QueryAsync<(Guid Id, string Status)>(new CommandDefinition(
            "SELECT id, status FROM orders WHERE created_at >= @since", new { since }, cancellationToken: cancellationToken))).ToList();
        var ids = orders.Select(o => o.Id).ToArray();
        var cancelled = orders.Where(o => o.Status == "Cancelled").Select(o => o.Id).ToHashSet();

        // What the provider kept, per order: approved, not voided, not refunded charges.
        await using var payment = new NpgsqlConnection(PaymentDb);
        var kept = (await payment.QueryAsync<(Guid OrderId, int Charges)>(new CommandDefinition(
            """
            SELECT p.order_id, count(*)::int FROM payments p
            JOIN simulated_provider_charges c ON c.idempotency_key = p.id AND c.approved AND NOT c.voided
            LEFT JOIN simulated_provider_refunds r ON r.charge_id = c.charge_id
            WHERE p.order_id = ANY(@ids) AND r.charge_id IS NULL
            GROUP BY p.order_id
            """, new { ids }, cancellationToken: cancellationToken))).ToList();
        var chargedTwice = kept.Count(c => c.Charges > 1);
        var cancelledButCharged = kept.Count(c => cancelled.Contains(c.OrderId));

        long pending = 0, setAside = 0;
        foreach (var database in Databases)
        {
            pending += await ScalarAsync(database, PendingOutboxRows, null, cancellationToken);
            setAside += await ScalarAsync(database, "SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL", null, cancellationToken);
        }
        var parked = await ParkedMessagesAsync(cancellationToken);

        return
        [
            new("the provider kept no charge twice", chargedTwice == 0,
                $"{kept.Count} charges kept, {chargedTwice} orders with more than one"),
            new("the provider kept no charge of a cancelled order", cancelledButCharged == 0,
                $"{cancelled.Count} cancelled, {cancelledButCharged} still charged"),
            new("outboxes drained, no row set aside", pending == 0 && setAside == 0, $"{pending} pending, {setAside} set aside"),
            new("no message parked in an error queue", parked.Count == 0, parked.Count == 0 ? "none" : string.Join(", ", parked)),
        ];
    }

    /// <summary>Queues holding messages MassTransit gave up on (<c>_error</c>) or found no consumer for (<c>_skipped</c>).</summary>
    private async Task<IReadOnlyList<string>> ParkedMessagesAsync(CancellationToken cancellationToken)
    {
        var listing = await shop.RabbitMq.CtlAsync(cancellationToken, "list_queues", "name", "messages", "--no-table-headers");
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 2 && fields[1] != "0"
                && (fields[0].EndsWith("_error", StringComparison.Ordinal) || fields[0].EndsWith("_skipped", StringComparison.Ordinal)))
            .Select(fields => $"{fields[0]}: {fields[1]}")
            .ToList();
    }

    private static async Task<long> ScalarAsync(
        string connectionString, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }
}
