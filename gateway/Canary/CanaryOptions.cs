namespace MsaShop.Gateway.Canary;

/// <summary>The catalog canary (section <c>Gateway:Canary</c>), read per request so changes apply live.</summary>
public sealed class CanaryOptions
{
    public const string SectionName = "Gateway:Canary";

    /// <summary>
    /// Percentage of users (0..100) whose catalog calls go to the catalog-canary cluster:
    /// 0 = everyone on stable (rollback), 100 = everyone on the new version (blue/green switch).
    /// </summary>
    public int Weight { get; set; }
}
