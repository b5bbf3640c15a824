namespace MsaShop.Gateway.Storefront;

/// <summary>What the storefront page is told about its surroundings (section <c>Storefront</c>).</summary>
public sealed class StorefrontOptions
{
    public const string SectionName = "Storefront";

    /// <summary>
    /// The Aspire dashboard's address, when one runs (the AppHost sets it): the page links each order's trace
    /// there, at <c>{DashboardUrl}/traces/detail/{traceId}</c>.
    /// </summary>
    public Uri? DashboardUrl { get; set; }
}
