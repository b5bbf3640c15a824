namespace MsaShop.Gateway.Routing;

/// <summary>The services behind the gateway; each cluster is named after the service it reaches.</summary>
internal static class GatewayClusters
{
    public const string Catalog = "catalog";
    public const string CatalogCanary = "catalog-canary";
    public const string Ordering = "ordering";

    public static IReadOnlyList<string> All { get; } = [Catalog, CatalogCanary, Ordering];
}
