using MsaShop.Contracts;

namespace MsaShop.Ordering.Model;

/// <summary>One edge of the order state machine: from any of <see cref="From"/> to <see cref="To"/>.</summary>
public sealed record OrderTransition(string Trigger, IReadOnlyList<OrderStatus> From, OrderStatus To, string? Reason = null);

/// <summary>
/// The whole order saga in one table (docs/saga.md). Any trigger that arrives while the order is not in
/// one of the edge's From states is ignored: the UPDATE that applies it is conditional on the status.
/// </summary>
public static class OrderStateMachine
{
    public static readonly OrderTransition StockReserved =
        new(nameof(StockReserved), [OrderStatus.Submitted], OrderStatus.AwaitingPayment);

    public static readonly OrderTransition StockReservationFailed =
        new(nameof(StockReservationFailed), [OrderStatus.Submitted], OrderStatus.Cancelled, CancellationReasons.OutOfStock);

    /// <summary>Cancels with catalog's own reason (OutOfStock, UnknownProduct, InvalidQuantity, ...), so the customer sees what
    /// really happened; OutOfStock only when catalog gave none.</summary>
    public static OrderTransition StockReservationFailedBecause(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? StockReservationFailed : StockReservationFailed with { Reason = reason };

    public static readonly OrderTransition PaymentSucceeded =
        new(nameof(PaymentSucceeded), [OrderStatus.AwaitingPayment], OrderStatus.Completed);

    public static readonly OrderTransition PaymentFailed =
        new(nameof(PaymentFailed), [OrderStatus.AwaitingPayment], OrderStatus.Cancelled, CancellationReasons.PaymentDeclined);

    public static readonly OrderTransition TimedOut =
        new(nameof(TimedOut), [OrderStatus.Submitted, OrderStatus.AwaitingPayment], OrderStatus.Cancelled, CancellationReasons.TimedOut);

    /// <summary>The states an order can still leave; the timeout sweep watches these.</summary>
    public static bool IsInFlight(this OrderStatus status) => status is OrderStatus.Submitted or OrderStatus.AwaitingPayment;
}
