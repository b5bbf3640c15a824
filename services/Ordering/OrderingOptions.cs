namespace MsaShop.Ordering;

/// <summary>Configuration section <c>Ordering</c>.</summary>
public sealed class OrderingOptions
{
    public const string SectionName = "Ordering";

    /// <summary>An order with no progress for this long is cancelled as TimedOut.</summary>
    public TimeSpan OrderTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the timeout sweep runs.</summary>
    public TimeSpan TimeoutSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest an order submission waits for the catalog's prices before answering 503.</summary>
    public TimeSpan CatalogTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
