using MassTransit;
using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Payment.Payments;

/// <summary>Charges the order while no transaction is open, then records the outcome and its event with the inbox record.</summary>
public sealed class PaymentRequestedConsumer(NpgsqlDataSource dataSource, IOutbox outbox, PaymentProcessor processor)
    : InboxConsumer<PaymentRequested>(dataSource, outbox)
{
    private Settlement? _settlement;

    protected override async Task PrepareAsync(ConsumeContext<PaymentRequested> context) =>
        _settlement = await processor.ChargeAsync(context.Message, context.CancellationToken);

    protected override Task HandleAsync(ConsumeContext<PaymentRequested> context, NpgsqlTransaction transaction) =>
        _settlement is { } settlement ? processor.RecordAsync(transaction, settlement, context.CancellationToken) : Task.CompletedTask;
}
