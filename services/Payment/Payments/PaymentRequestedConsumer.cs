using MassTransit;
using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Payment.Payments;

public sealed class PaymentRequestedConsumer(NpgsqlDataSource dataSource, PaymentProcessor processor) : InboxConsumer<PaymentRequested>(dataSource)
{
    protected override Task HandleAsync(ConsumeContext<PaymentRequested> context, NpgsqlTransaction transaction) =>
        processor.ChargeAsync(transaction, context.Message, context.CancellationToken);
}
