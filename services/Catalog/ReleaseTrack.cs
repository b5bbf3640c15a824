namespace MsaShop.Catalog;

/// <summary>
/// Which release of the catalog this instance runs: configuration <c>CATALOG_VERSION</c>, set by the AppHost
/// ("stable", or "canary" for the <c>catalog-canary</c> resource); "stable" when unset; any other value refuses to start.
/// <para>
/// The rule for the order flow (docs/canary-blue-green.md): a canary serves HTTP only. It does not consume the saga's
/// events, does not dispatch the outbox and does not reconcile, so the share of orders it touches is zero whatever its
/// traffic weight, and a canary rolled back leaves no half-done saga step behind. Every other release takes part.
/// </para>
/// </summary>
public sealed record ReleaseTrack(string Version)
{
    public const string ConfigurationKey = "CATALOG_VERSION";
    public const string Stable = "stable";
    public const string Canary = "canary";

    /// <summary>False for a canary: it neither consumes saga events nor dispatches catalogdb's outbox.</summary>
    public bool TakesPartInTheOrderFlow => Version != Canary;

    /// <summary>The configured release; "stable" when unset. Any other value fails start-up: a typo must not join the saga.</summary>
    public static ReleaseTrack From(IConfiguration configuration) =>
        configuration[ConfigurationKey] switch
        {
            null or "" => new(Stable),
            var configured when configured.Equals(Stable, StringComparison.OrdinalIgnoreCase) => new(Stable),
            var configured when configured.Equals(Canary, StringComparison.OrdinalIgnoreCase) => new(Canary),
            var configured => throw new InvalidOperationException(
                $"{ConfigurationKey} is '{configured}': it must be '{Stable}' or '{Canary}' (or unset, for {Stable})."),
        };
}
