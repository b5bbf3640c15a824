namespace MsaShop.Catalog;

/// <summary>The catalog's settings, bound from the <c>Catalog</c> configuration section.</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>How long an item stays cached in Redis; an update or a stock change removes it sooner.</summary>
    public TimeSpan ItemCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an item stays in an instance's memory. Every change removes it from every instance at once; this bounds
    /// how long an instance that missed the announcement (Redis away) serves the old item.
    /// </summary>
    public TimeSpan ItemLocalCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Added to every item read (page, item, by-ids), in Development only: the pattern lab's slow catalog
    /// (docs/pattern-lab.md). Outside Development it is never applied, whatever it is set to.</summary>
    public TimeSpan ReadLatency { get; set; }
}
