namespace MsaShop.Payment.Payments;

public enum PaymentStatus
{
    /// <summary>The row exists and its id is with the provider; the outcome is not recorded yet.</summary>
    Charging,
    Succeeded,
    Declined,

    /// <summary>Charged, then given back because the order had been cancelled by then.</summary>
    Refunded,

    /// <summary>Never charged: the request's deadline passed first (the order had timed out), and the provider voided its key.</summary>
    Expired,
}

/// <summary>The one payment of an order. Times are UTC.</summary>
public sealed record Payment
{
    public required Guid Id { get; init; }
    public required Guid OrderId { get; init; }
    public required string CustomerId { get; init; }
    public required decimal Amount { get; init; }
    public required PaymentStatus Status { get; init; }
    public string? FailureReason { get; init; }
    public string? ProviderChargeId { get; init; }
    public string? ProviderRefundId { get; init; }

    /// <summary>PaymentRequested's deadline; null for a request from a sender that predates deadlines.</summary>
    public DateTime? ChargeDeadline { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required DateTime UpdatedAt { get; init; }
}
