namespace MsaShop.Ordering.Admission;

/// <summary>
/// Configuration section <c>Ordering:Admission</c>: how much work the order flow takes on (docs/saga.md#backpressure-and-load-shedding).
/// </summary>
public sealed class OrderAdmissionOptions
{
    public const string SectionName = "Ordering:Admission";

    /// <summary>
    /// Orders in flight (Submitted or AwaitingPayment) across the shop beyond which new orders are refused with 503.
    /// By Little's law, the time an accepted order waits is at most about this many orders divided by the rate the saga
    /// completes them, so the bound is what keeps an overloaded shop's latency bounded. 0 turns admission control off.
    /// </summary>
    public int MaxInFlightOrders { get; set; } = 500;

    /// <summary>How often each instance counts the orders in flight (one indexed count in ordering's database).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>What a refused client is told to wait before trying again (the Retry-After header).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
