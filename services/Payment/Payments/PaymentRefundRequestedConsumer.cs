using MassTransit;
using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Payment.Payments;

/// <summary>Refunds at the provider while no transaction is open, then records the refund and its event with the inbox record.</summary>
public sealed class PaymentRefundRequestedConsumer(NpgsqlDataSource dataSource, IOutbox outbox, PaymentProcessor processor)
    : InboxConsumer<PaymentRefundRequested>(dataSource, outbox)
{
    private Refund? _refund;

    protected override async Task PrepareAsync(ConsumeContext<PaymentRefundRequested> context) =>
        _refund = await processor.RefundAsync(context.Message, context.CancellationToken);

    protected override Task HandleAsync(ConsumeContext<PaymentRefundRequested> context, NpgsqlTransaction transaction) =>
        _refund is { } refund ? processor.RecordRefundAsync(transaction, refund, context.CancellationToken) : Task.CompletedTask;
}
