using MassTransit;
using MsaShop.Catalog.Caching;
using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Catalog.Stock;

/// <summary>Saga compensation: put back exactly the stock the cancelled order held.</summary>
public sealed class OrderCancelledConsumer(NpgsqlDataSource dataSource, IOutbox outbox, StockLedger ledger, CatalogItemCache cache)
    : InboxConsumer<OrderCancelled>(dataSource, outbox)
{
    private IReadOnlyList<int> _changedProductIds = [];

    protected override async Task HandleAsync(ConsumeContext<OrderCancelled> context, NpgsqlTransaction transaction)
    {
        var released = await ledger.ReleaseAsync(transaction, context.Message.OrderId, context.Message.Reason, context.CancellationToken);
        _changedProductIds = released.ChangedProductIds;
    }

    protected override Task AfterCommitAsync(ConsumeContext<OrderCancelled> context) =>
        cache.InvalidateStockAsync(_changedProductIds);
}
