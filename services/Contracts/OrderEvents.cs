namespace MsaShop.Contracts;

// Published by ordering, the process manager of the order saga (docs/saga.md).

/// <summary>An order was accepted; catalog reserves its stock, all lines or none.</summary>
public sealed record OrderSubmitted(Guid OrderId, string CustomerId, IReadOnlyList<OrderLine> Lines, DateTimeOffset SubmittedAt);

/// <summary>
/// Stock is reserved; payment charges the order's total, but not after <paramref name="Deadline"/>: the moment ordering
/// gives up on the order (TimedOut), so a request that waited out an outage charges nothing. Null from senders that predate it.
/// </summary>
public sealed record PaymentRequested(Guid OrderId, string CustomerId, decimal Amount, string PaymentToken,
    DateTimeOffset? Deadline = null);

/// <summary>The order is paid; catalog turns its reservation into a sale, and payment knows its charge is final.</summary>
public sealed record OrderCompleted(Guid OrderId);

/// <summary>The order ended without a sale; catalog releases whatever it reserved for it.</summary>
public sealed record OrderCancelled(Guid OrderId, string Reason);

/// <summary>
/// The order was paid after it was cancelled (e.g. it timed out first); payment gives the money back. Reason: the order's cancellation
/// reason.
/// </summary>
public sealed record PaymentRefundRequested(Guid OrderId, Guid PaymentId, decimal Amount, string Reason);
