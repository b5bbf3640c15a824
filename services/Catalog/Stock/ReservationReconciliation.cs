using Dapper;
using Microsoft.Extensions.Options;
using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Catalog.Stock;

/// <summary>
/// Finds reservations held for longer than <see cref="ReconciliationOptions.StaleAfter"/>: an order ends within
/// Ordering:OrderTimeout, so their OrderCompleted or OrderCancelled went missing (e.g. parked in <c>catalog_error</c>).
/// It announces <see cref="StockReserved"/> again; ordering answers with the order's end, which commits or releases
/// the reservation as usual, once. It asks again every StaleAfter until the reservation is settled.
/// </summary>
public sealed partial class ReservationReconciliation(
    NpgsqlDataSource dataSource, IOutbox outbox, IOptions<ReconciliationOptions> options, ILogger<ReservationReconciliation> logger)
    : PeriodicBatchService(logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task<int> RunBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await outbox.BeginTransactionAsync(connection, cancellationToken);
        var orderIds = (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            UPDATE stock_reservations SET reconciled_at = now()
            WHERE order_id IN (
                SELECT order_id FROM stock_reservations
                WHERE status = @reserved AND coalesce(reconciled_at, updated_at) < now() - @staleAfter
                ORDER BY updated_at
                LIMIT @batchSize
                FOR UPDATE SKIP LOCKED)
            RETURNING order_id
            """,
            new { reserved = ReservationStatus.Reserved, options.Value.StaleAfter, BatchSize },
            transaction, cancellationToken: cancellationToken))).AsList();
        foreach (var orderId in orderIds)
        {
            LogStillHeld(logger, orderId);
            await outbox.EnqueueAsync(transaction, new StockReserved(orderId), cancellationToken);
        }

        await outbox.CommitAsync(transaction, cancellationToken);
        return orderIds.Count;
    }

    [LoggerMessage(LogLevel.Warning, "The reservation of order {OrderId} is still held; announcing StockReserved again so ordering answers with the order's end")]
    private static partial void LogStillHeld(ILogger logger, Guid orderId);
}
