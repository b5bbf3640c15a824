namespace MsaShop.Contracts;

// Published by payment in answer to PaymentRequested and PaymentRefundRequested.

public sealed record PaymentSucceeded(Guid OrderId, Guid PaymentId, decimal Amount);

public sealed record PaymentFailed(Guid OrderId, string Reason);

public sealed record PaymentRefunded(Guid OrderId, Guid PaymentId, decimal Amount);
