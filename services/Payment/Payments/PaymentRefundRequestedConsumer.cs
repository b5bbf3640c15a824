using MassTransit;
using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Payment.Payments;

public sealed class PaymentRefundRequestedConsumer(NpgsqlDataSource dataSource, PaymentProcessor processor) : InboxConsumer<PaymentRefundRequested>(dataSource)
{
    protected override Task HandleAsync(ConsumeContext<PaymentRefundRequested> context, NpgsqlTransaction transaction) =>
        processor.RefundAsync(transaction, context.Message, context.CancellationToken);
}
