namespace MsaShop.Messaging;

/// <summary>
/// How a service's reconciliation looks for saga steps that fell through (docs/saga.md): bound per service from
/// <c>Catalog:Reconciliation</c> or <c>Payment:Reconciliation</c>. The defaults are minutes; tests use seconds.
/// </summary>
public sealed class ReconciliationOptions
{
    /// <summary>How often the reconciliation runs on each replica.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long an item may wait for the saga's next step before reconciliation acts on it, and between two of its
    /// actions on one item. Keep it above Ordering:OrderTimeout (5 min), so only what really fell through is touched.
    /// </summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(15);
}
