namespace MsaShop.Gateway.RateLimiting;

/// <summary>Requests each client may make per window (section <c>Gateway:RateLimit</c>).</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Gateway:RateLimit";

    public int PermitLimit { get; set; } = 100;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}
