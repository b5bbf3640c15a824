namespace MsaShop.Contracts;

// Published by payment in answer to PaymentRequested and PaymentRefundRequested.

/// <summary>The order is charged. Payment's reconciliation announces it again while the order has not completed;
/// ordering answers with OrderCompleted, or with PaymentRefundRequested for an order that was cancelled (docs/saga.md).</summary>
public sealed record PaymentSucceeded(Guid OrderId, Guid PaymentId, decimal Amount);

public sealed record PaymentFailed(Guid OrderId, string Reason);

public sealed record PaymentRefunded(Guid OrderId, Guid PaymentId, decimal Amount);
