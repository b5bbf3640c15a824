using MassTransit;
using MsaShop.Contracts;
using MsaShop.Messaging;
using Npgsql;

namespace MsaShop.Ordering.Saga;

// The saga's replies, each handled once (inbox) and handed to OrderSaga in the inbox's transaction.

public sealed class StockReservedConsumer(NpgsqlDataSource dataSource, IOutbox outbox, OrderSaga saga)
    : InboxConsumer<StockReserved>(dataSource, outbox)
{
    protected override Task HandleAsync(ConsumeContext<StockReserved> context, NpgsqlTransaction transaction) =>
        saga.OnStockReservedAsync(transaction, context.Message.OrderId, context.CancellationToken);
}

public sealed class StockReservationFailedConsumer(NpgsqlDataSource dataSource, IOutbox outbox, OrderSaga saga)
    : InboxConsumer<StockReservationFailed>(dataSource, outbox)
{
    protected override Task HandleAsync(ConsumeContext<StockReservationFailed> context, NpgsqlTransaction transaction) =>
        saga.OnStockReservationFailedAsync(transaction, context.Message, context.CancellationToken);
}

public sealed class PaymentSucceededConsumer(NpgsqlDataSource dataSource, IOutbox outbox, OrderSaga saga)
    : InboxConsumer<PaymentSucceeded>(dataSource, outbox)
{
    protected override Task HandleAsync(ConsumeContext<PaymentSucceeded> context, NpgsqlTransaction transaction) =>
        saga.OnPaymentSucceededAsync(transaction, context.Message, context.CancellationToken);
}

public sealed class PaymentFailedConsumer(NpgsqlDataSource dataSource, IOutbox outbox, OrderSaga saga)
    : InboxConsumer<PaymentFailed>(dataSource, outbox)
{
    protected override Task HandleAsync(ConsumeContext<PaymentFailed> context, NpgsqlTransaction transaction) =>
        saga.OnPaymentFailedAsync(transaction, context.Message.OrderId, context.CancellationToken);
}

public sealed class PaymentRefundedConsumer(NpgsqlDataSource dataSource, IOutbox outbox, OrderSaga saga)
    : InboxConsumer<PaymentRefunded>(dataSource, outbox)
{
    protected override Task HandleAsync(ConsumeContext<PaymentRefunded> context, NpgsqlTransaction transaction) =>
        saga.OnPaymentRefundedAsync(transaction, context.Message.OrderId, context.CancellationToken);
}
