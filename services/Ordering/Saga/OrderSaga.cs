using Microsoft.Extensions.Options;
using MsaShop.Contracts;
using MsaShop.Messaging;
using MsaShop.Ordering.Data;
using MsaShop.Ordering.Model;
using Npgsql;

namespace MsaShop.Ordering.Saga;

/// <summary>
/// Ordering as the saga's process manager: each reply moves the order one step along
/// <see cref="OrderStateMachine"/> and enqueues the next command/event in the same transaction (outbox).
/// A reply for an order that has already ended is answered with that end, so a participant that missed it
/// (its message parked in an error queue) learns it when its reconciliation announces the reply again.
/// </summary>
public sealed partial class OrderSaga(IOutbox outbox, IOptions<OrderingOptions> options, ILogger<OrderSaga> logger)
{
    public async Task OnStockReservedAsync(NpgsqlTransaction transaction, Guid orderId, CancellationToken cancellationToken)
    {
        if (await ApplyAsync(transaction, orderId, OrderStateMachine.StockReserved, cancellationToken) is { } order)
        {
            // The timeout sweep gives up on the order at this moment: payment must not charge it later.
            var deadline = new DateTimeOffset(DateTime.SpecifyKind(order.UpdatedAt, DateTimeKind.Utc)) + options.Value.OrderTimeout;
            await outbox.EnqueueAsync(transaction,
                new PaymentRequested(order.Id, order.CustomerId, order.Total, order.PaymentToken, deadline), cancellationToken);
            return;
        }

        switch (await OrderStore.FindAsync(transaction, orderId, cancellationToken))
        {
            case { Status: OrderStatus.Cancelled } cancelled:
                // Stock was reserved after the order gave up (e.g. it timed out first), or catalog missed the cancellation: release it.
                LogReleasingLateReservation(logger, orderId, cancelled.FailureReason);
                await outbox.EnqueueAsync(transaction, new OrderCancelled(orderId, cancelled.FailureReason ?? CancellationReasons.TimedOut),
                    cancellationToken);
                break;
            case { Status: OrderStatus.Completed }:
                // Catalog missed the completion: its reservation becomes a sale.
                await AnnounceCompletedAgainAsync(transaction, orderId, cancellationToken);
                break;
            case null:
                // An order and its OrderSubmitted commit together, so no order now means none ever will be: release the stock.
                LogReleasingUnknownOrder(logger, orderId);
                await outbox.EnqueueAsync(transaction, new OrderCancelled(orderId, CancellationReasons.UnknownOrder), cancellationToken);
                break;
        }
    }

    public Task OnStockReservationFailedAsync(NpgsqlTransaction transaction, StockReservationFailed failure,
        CancellationToken cancellationToken) =>
        CancelAsync(transaction, failure.OrderId, OrderStateMachine.StockReservationFailedBecause(failure.Reason), cancellationToken);

    public async Task OnPaymentSucceededAsync(NpgsqlTransaction transaction, PaymentSucceeded payment, CancellationToken cancellationToken)
    {
        if (await ApplyAsync(transaction, payment.OrderId, OrderStateMachine.PaymentSucceeded, cancellationToken) is not null)
        {
            await outbox.EnqueueAsync(transaction, new OrderCompleted(payment.OrderId), cancellationToken);
            return;
        }

        switch (await OrderStore.FindAsync(transaction, payment.OrderId, cancellationToken))
        {
            case { Status: OrderStatus.Cancelled } cancelled:
                // Paid after it gave up (e.g. it timed out while the payment's reply was stuck): the compensation is a refund.
                var reason = cancelled.FailureReason ?? CancellationReasons.TimedOut;
                LogRequestingRefund(logger, payment.OrderId, reason);
                await outbox.EnqueueAsync(transaction,
                    new PaymentRefundRequested(payment.OrderId, payment.PaymentId, payment.Amount, reason), cancellationToken);
                break;
            case { Status: OrderStatus.Completed }:
                // Payment (or catalog) missed the completion: tell them again.
                await AnnounceCompletedAgainAsync(transaction, payment.OrderId, cancellationToken);
                break;
        }
    }

    private async Task AnnounceCompletedAgainAsync(NpgsqlTransaction transaction, Guid orderId, CancellationToken cancellationToken)
    {
        LogAnnouncingCompletion(logger, orderId);
        await outbox.EnqueueAsync(transaction, new OrderCompleted(orderId), cancellationToken);
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

    /// <summary>Cancels the order as TimedOut if it is in flight and past its <paramref name="deadlines"/>.</summary>
    public async Task TimeOutIfStaleAsync(NpgsqlTransaction transaction, Guid orderId, OrderDeadlines deadlines,
        CancellationToken cancellationToken)
    {
        if (await OrderStore.TimeOutIfStaleAsync(transaction, orderId, deadlines, cancellationToken))
        {
            LogTimedOut(logger, orderId);
            await outbox.EnqueueAsync(transaction, new OrderCancelled(orderId, CancellationReasons.TimedOut), cancellationToken);
        }
    }

    // Every cancellation announces itself: catalog releases whatever it holds for the order (nothing, after OutOfStock).
    private async Task CancelAsync(NpgsqlTransaction transaction, Guid orderId, OrderTransition transition,
        CancellationToken cancellationToken)
    {
        if (await ApplyAsync(transaction, orderId, transition, cancellationToken) is { } order)
        {
            await outbox.EnqueueAsync(transaction, new OrderCancelled(order.Id, order.FailureReason!), cancellationToken);
        }
    }

    private async Task<Order?> ApplyAsync(NpgsqlTransaction transaction, Guid orderId, OrderTransition transition,
        CancellationToken cancellationToken)
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

    [LoggerMessage(LogLevel.Debug, "Order {OrderId}: {Trigger} -> {Status}")]
    private static partial void LogMoved(ILogger logger, Guid orderId, string trigger, OrderStatus status);

    [LoggerMessage(LogLevel.Warning, "{Trigger} ignored for order {OrderId}: it is {Status}")]
    private static partial void LogIgnored(ILogger logger, string trigger, Guid orderId, string status);

    [LoggerMessage(LogLevel.Warning, "Order {OrderId} is already cancelled ({Reason}); releasing the stock reserved late")]
    private static partial void LogReleasingLateReservation(ILogger logger, Guid orderId, string? reason);

    [LoggerMessage(LogLevel.Warning, "Catalog holds stock for order {OrderId}, which ordering has no record of; releasing it")]
    private static partial void LogReleasingUnknownOrder(ILogger logger, Guid orderId);

    [LoggerMessage(LogLevel.Information,
        "Order {OrderId} is already Completed; announcing OrderCompleted again for a participant that missed it")]
    private static partial void LogAnnouncingCompletion(ILogger logger, Guid orderId);

    [LoggerMessage(LogLevel.Warning, "Order {OrderId} was paid after it was cancelled ({Reason}); requesting a refund")]
    private static partial void LogRequestingRefund(ILogger logger, Guid orderId, string reason);

    [LoggerMessage(LogLevel.Information, "Order {OrderId}: the payment made after its cancellation was refunded")]
    private static partial void LogRefunded(ILogger logger, Guid orderId);

    [LoggerMessage(LogLevel.Information, "Order {OrderId} timed out and is cancelled")]
    private static partial void LogTimedOut(ILogger logger, Guid orderId);
}
