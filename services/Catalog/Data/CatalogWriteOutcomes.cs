namespace MsaShop.Catalog.Data;

/// <summary>What became of a conditional update (PUT with If-Match).</summary>
public abstract record ItemUpdate
{
    public sealed record Updated(VersionedCatalogItem Item) : ItemUpdate;

    /// <summary>Someone changed the item since the caller read it: it is at <paramref name="CurrentVersion"/> now.</summary>
    public sealed record Stale(long CurrentVersion) : ItemUpdate;

    public sealed record NotFound : ItemUpdate;
}

/// <summary>What became of a stock adjustment.</summary>
public abstract record StockAdjustment
{
    /// <summary>Applied now, or earlier under the same Idempotency-Key: the item as it stands.</summary>
    public sealed record Applied(VersionedCatalogItem Item) : StockAdjustment;

    /// <summary>It would take the stock below zero: nothing changed.</summary>
    public sealed record BelowZero(int AvailableStock) : StockAdjustment;

    /// <summary>The stock would pass the most a count can hold (int.MaxValue): nothing changed.</summary>
    public sealed record AboveMaximum(int AvailableStock) : StockAdjustment;

    /// <summary>The Idempotency-Key was used for a different quantity.</summary>
    public sealed record KeyReused(int EarlierQuantity) : StockAdjustment;

    public sealed record NotFound : StockAdjustment;
}
