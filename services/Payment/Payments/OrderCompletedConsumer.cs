using MassTransit;
using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Payment.Payments;

/// <summary>The order this payment paid for is complete: the charge is final, and reconciliation leaves it alone.</summary>
public sealed class OrderCompletedConsumer(NpgsqlDataSource dataSource, IOutbox outbox) : InboxConsumer<OrderCompleted>(dataSource, outbox)
{
    protected override Task HandleAsync(ConsumeContext<OrderCompleted> context, NpgsqlTransaction transaction) =>
        PaymentStore.MarkOrderCompletedAsync(transaction, context.Message.OrderId, context.CancellationToken);
}
