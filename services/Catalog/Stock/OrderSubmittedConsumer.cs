using MassTransit;
using MsaShop.Catalog.Caching;
using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Catalog.Stock;

/// <summary>Saga step: reserve the order's stock, all lines or none, and answer ordering through the outbox.</summary>
public sealed class OrderSubmittedConsumer(NpgsqlDataSource dataSource, IOutbox outbox, StockLedger ledger, CatalogItemCache cache)
    : InboxConsumer<OrderSubmitted>(dataSource, outbox)
{
    private IReadOnlyList<int> _changedProductIds = [];

    protected override async Task HandleAsync(ConsumeContext<OrderSubmitted> context, NpgsqlTransaction transaction)
    {
        var (orderId, lines, cancellationToken) = (context.Message.OrderId, context.Message.Lines, context.CancellationToken);
        var reservation = await ledger.ReserveAsync(transaction, orderId, lines, cancellationToken);
        switch (reservation.Status)
        {
            // A repeated OrderSubmitted (new message id, same order) gets the answer the first one got.
            case ReservationStatus.Reserved or ReservationStatus.Committed:
                await Outbox.EnqueueAsync(transaction, new StockReserved(orderId), cancellationToken);
                break;
            case ReservationStatus.Rejected:
                await Outbox.EnqueueAsync(transaction, new StockReservationFailed(orderId, reservation.Reason!), cancellationToken);
                break;
            default: // Released: the order was cancelled before it got here; ordering has moved on.
                break;
        }
        _changedProductIds = reservation.ChangedProductIds;
    }

    protected override Task AfterCommitAsync(ConsumeContext<OrderSubmitted> context) =>
        cache.InvalidateStockAsync(_changedProductIds);
}
