namespace MsaShop.Gateway.RateLimiting;

/// <summary>Requests each client may make per window (section <c>Gateway:RateLimit</c>).</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Gateway:RateLimit";

    public int PermitLimit { get; set; } = 100;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An anonymous IPv6 client's budget is its network's: the first this many bits of its address (a /64, a subscriber's usual share).
    /// </summary>
    public int IPv6PrefixLength { get; set; } = 64;
}
