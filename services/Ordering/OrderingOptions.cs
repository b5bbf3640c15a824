namespace MsaShop.Ordering;

/// <summary>Configuration section <c>Ordering</c>.</summary>
public sealed class OrderingOptions
{
    public const string SectionName = "Ordering";

    /// <summary>An order with no progress for this long is cancelled as TimedOut; for an order awaiting payment it is the
    /// payment deadline (payment charges no card after it), and the order is cancelled <see cref="PaymentReplyWindow"/> later.</summary>
    public TimeSpan OrderTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after the payment deadline ordering still waits for payment's answer: the answer to a charge made
    /// before the deadline can be that late when it waited out an outage in redelivery. Null (the default): ordering's own
    /// Messaging:RedeliveryWindow, so no outage shorter than redelivery cancels a paid order (docs/saga.md).</summary>
    public TimeSpan? PaymentReplyWindow { get; set; }

    /// <summary>How often the timeout sweep runs.</summary>
    public TimeSpan TimeoutSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest an order submission waits for the catalog's prices before answering 503.</summary>
    public TimeSpan CatalogTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
