using MsaShop.Contracts;
using MsaShop.Messaging;
using MsaShop.Ordering.Data;
using MsaShop.Ordering.Model;
using Npgsql;

namespace MsaShop.Ordering.Saga;

/// <summary>
/// Ordering as the saga's process manager: each reply moves the order one step along
/// <see cref="OrderStateMachine"/> and enqueues the next command/event in the same transaction (outbox).
/// </summary>
public sealed partial class OrderSaga(IOutbox outbox, ILogger<OrderSaga> logger)
{
    public async Task OnStockReservedAsync(NpgsqlTransaction transaction, Guid orderId, CancellationToken cancellationToken)
    {
        if (await ApplyAsync(transaction, orderId, OrderStateMachine.StockReserved, cancellationToken) is { } order)
        {
            await outbox.EnqueueAsync(transaction, new PaymentRequested(order.Id, order.CustomerId, order.Total, order.PaymentToken), cancellationToken);
        }
        else if (await OrderStore.FindAsync(transaction, orderId, cancellationToken) is { Status: OrderStatus.Cancelled } cancelled)
        {
            // Stock was reserved after the order gave up (e.g. it timed out first): release it again, or it leaks.
            LogReleasingLateReservation(logger, orderId, cancelled.FailureReason);
            await outbox.EnqueueAsync(transaction, new OrderCancelled(orderId, cancelled.FailureReason ?? CancellationReasons.TimedOut), cancellationToken);
        }
    }

    public Task OnStockReservationFailedAsync(NpgsqlTransaction transaction, StockReservationFailed failure, CancellationToken cancellationToken) =>
        CancelAsync(transaction, failure.OrderId, OrderStateMachine.StockReservationFailedBecause(failure.Reason), cancellationToken);

    public async Task OnPaymentSucceededAsync(NpgsqlTransaction transaction, PaymentSucceeded payment, CancellationToken cancellationToken)
    {
        if (await ApplyAsync(transaction, payment.OrderId, OrderStateMachine.PaymentSucceeded, cancellationToken) is not null)
        {
            await outbox.EnqueueAsync(transaction, new OrderCompleted(payment.OrderId), cancellationToken);
        }
        else if (await OrderStore.FindAsync(transaction, payment.OrderId, cancellationToken) is { Status: OrderStatus.Cancelled } cancelled)
        {
            // Paid after it gave up (e.g. it timed out while payment was down): the compensation is a refund.
            var reason = cancelled.FailureReason ?? CancellationReasons.TimedOut;
            LogRequestingRefund(logger, payment.OrderId, reason);
            await outbox.EnqueueAsync(transaction, new PaymentRefundRequested(payment.OrderId, payment.PaymentId, payment.Amount, reason), cancellationToken);
        }
    }

    public async Task OnPaymentRefundedAsync(NpgsqlTransaction transaction, Guid orderId, CancellationToken cancellationToken)
    {
        if (await OrderStore.MarkRefundedAsync(transaction, orderId, cancellationToken))
        {
            LogRefunded(logger, orderId);
        }
    }

    public Task OnPaymentFailedAsync(NpgsqlTransaction transaction, Guid orderId, CancellationToken cancellationToken) =>
        CancelAsync(transaction, orderId, OrderStateMachine.PaymentFailed, cancellationToken);

    /// <summary>Cancels the in-flight orders that made no progress for <paramref name="timeout"/>; returns how many.</summary>
    public async Task<int> TimeOutStaleOrdersAsync(NpgsqlTransaction transaction, TimeSpan timeout, int batchSize, CancellationToken cancellationToken)
    {
        var timedOut = await OrderStore.TimeOutStaleAsync(transaction, timeout, batchSize, cancellationToken);
        foreach (var order in timedOut)
        {
            LogTimedOut(logger, order.Id);
            await outbox.EnqueueAsync(transaction, new OrderCancelled(order.Id, CancellationReasons.TimedOut), cancellationToken);
        }

        return timedOut.Count;
    }

    // Every cancellation announces itself: catalog releases whatever it holds for the order (nothing, after OutOfStock).
    private async Task CancelAsync(NpgsqlTransaction transaction, Guid orderId, OrderTransition transition, CancellationToken cancellationToken)
    {
        if (await ApplyAsync(transaction, orderId, transition, cancellationToken) is { } order)
        {
            await outbox.EnqueueAsync(transaction, new OrderCancelled(order.Id, order.FailureReason!), cancellationToken);
        }
    }

    private async Task<Order?> ApplyAsync(NpgsqlTransaction transaction, Guid orderId, OrderTransition transition, CancellationToken cancellationToken)
    {
        var order = await OrderStore.TransitionAsync(transaction, orderId, transition, cancellationToken);
        if (order is null)
        {
            var current = await OrderStore.FindAsync(transaction, orderId, cancellationToken);
            LogIgnored(logger, transition.Trigger, orderId, current?.Status.ToString() ?? "unknown");
        }
        else
        {
            LogMoved(logger, orderId, transition.Trigger, order.Status);
        }

        return order;
    }

    [LoggerMessage(LogLevel.Information, "Order {OrderId}: {Trigger} -> {Status}")]
    private static partial void LogMoved(ILogger logger, Guid orderId, string trigger, OrderStatus status);

    [LoggerMessage(LogLevel.Warning, "{Trigger} ignored for order {OrderId}: it is {Status}")]
    private static partial void LogIgnored(ILogger logger, string trigger, Guid orderId, string status);

    [LoggerMessage(LogLevel.Warning, "Order {OrderId} is already cancelled ({Reason}); releasing the stock reserved late")]
    private static partial void LogReleasingLateReservation(ILogger logger, Guid orderId, string? reason);

    [LoggerMessage(LogLevel.Warning, "Order {OrderId} was paid after it was cancelled ({Reason}); requesting a refund")]
    private static partial void LogRequestingRefund(ILogger logger, Guid orderId, string reason);

    [LoggerMessage(LogLevel.Information, "Order {OrderId}: the payment made after its cancellation was refunded")]
    private static partial void LogRefunded(ILogger logger, Guid orderId);

    [LoggerMessage(LogLevel.Information, "Order {OrderId} timed out and is cancelled")]
    private static partial void LogTimedOut(ILogger logger, Guid orderId);
}
