using Dapper;
using Microsoft.Extensions.Options;
using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Catalog.Stock;

/// <summary>
/// Finds reservations held for longer than <see cref="ReconciliationOptions.StaleAfter"/>: an order ends within
/// Ordering:OrderTimeout, so their OrderCompleted or OrderCancelled went missing (e.g. parked in <c>catalog_error</c>).
/// It announces <see cref="StockReserved"/> again, each reservation in its own transaction; ordering answers with the
/// order's end, which commits or releases the reservation as usual, once. It asks again every StaleAfter until the
/// reservation is settled.
/// </summary>
public sealed partial class ReservationReconciliation(
    NpgsqlDataSource dataSource, IOutbox outbox, IOptions<ReconciliationOptions> options, ILogger<ReservationReconciliation> logger)
    : PeriodicBatchService(logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task<IReadOnlyList<Guid>> FindDueAsync(IReadOnlyCollection<Guid> backedOff, int batchSize,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT order_id FROM stock_reservations
            WHERE status = @reserved AND coalesce(reconciled_at, updated_at) < now() - @staleAfter AND order_id <> ALL(@except)
            ORDER BY updated_at
            LIMIT @batchSize
            """,
            new { reserved = ReservationStatus.Reserved, options.Value.StaleAfter, except = backedOff.ToArray(), batchSize },
            cancellationToken: cancellationToken))).AsList();
    }

    protected override async Task HandleAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await outbox.BeginTransactionAsync(connection, cancellationToken);
        var stillHeld = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE stock_reservations SET reconciled_at = now()
            WHERE order_id = (
                SELECT order_id FROM stock_reservations
                WHERE order_id = @id AND status = @reserved AND coalesce(reconciled_at, updated_at) < now() - @staleAfter
                FOR UPDATE SKIP LOCKED)
            """,
            new { id, reserved = ReservationStatus.Reserved, options.Value.StaleAfter },
            transaction, cancellationToken: cancellationToken)) == 1;
        if (stillHeld)
        {
            LogStillHeld(logger, id);
            await outbox.EnqueueAsync(transaction, new StockReserved(id), cancellationToken);
        }

        await outbox.CommitAsync(transaction, cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning,
        "The reservation of order {OrderId} is still held; announcing StockReserved again so ordering answers with the order's end")]
    private static partial void LogStillHeld(ILogger logger, Guid orderId);
}
