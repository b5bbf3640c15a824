using System.Diagnostics;

namespace MsaShop.ServiceDefaults.Telemetry;

/// <summary>
/// The activity sources and meters MsaShop exports beyond what the instrumentation packages add (ASP.NET Core,
/// HttpClient, the runtime) and what the Aspire client integrations add themselves (Npgsql, StackExchange.Redis).
/// MassTransit's are added by the messaging registration (AddMessaging), where MassTransit is.
/// </summary>
public static class MsaShopTelemetry
{
    /// <summary>Prefix of every MsaShop activity source and meter ("MsaShop", "MsaShop.Messaging", ...).</summary>
    public const string SourceName = "MsaShop";

    /// <summary>Activity source for spans written by MsaShop code itself.</summary>
    public static readonly ActivitySource ActivitySource = new(SourceName);

    // Polly's meter: retries, timeouts and circuit breaker transitions of every resilience pipeline.
    private const string Polly = "Polly";

    internal static readonly string[] ActivitySources = [SourceName, SourceName + ".*"];

    internal static readonly string[] Meters = [SourceName, SourceName + ".*", Polly];
}
