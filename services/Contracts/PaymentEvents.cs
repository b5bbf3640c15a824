namespace MsaShop.Contracts;

// Published by payment in answer to PaymentRequested.

public sealed record PaymentSucceeded(Guid OrderId, Guid PaymentId, decimal Amount);

public sealed record PaymentFailed(Guid OrderId, string Reason);
