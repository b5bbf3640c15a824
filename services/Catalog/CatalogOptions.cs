namespace MsaShop.Catalog;

/// <summary>The catalog's settings, bound from the <c>Catalog</c> configuration section.</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>How long an item stays cached; an update or a stock change removes it sooner.</summary>
    public TimeSpan ItemCacheDuration { get; set; } = TimeSpan.FromMinutes(5);
}
