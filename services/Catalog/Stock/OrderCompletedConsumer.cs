using MassTransit;
using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Catalog.Stock;

/// <summary>Saga end: the paid order's reservation becomes a sale (its stock was taken when reserved).</summary>
public sealed class OrderCompletedConsumer(NpgsqlDataSource dataSource, IOutbox outbox, StockLedger ledger)
    : InboxConsumer<OrderCompleted>(dataSource, outbox)
{
    protected override Task HandleAsync(ConsumeContext<OrderCompleted> context, NpgsqlTransaction transaction) =>
        ledger.CommitAsync(transaction, context.Message.OrderId, context.CancellationToken);
}
