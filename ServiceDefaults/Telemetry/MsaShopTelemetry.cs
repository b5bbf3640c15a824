using System.Diagnostics;

namespace MsaShop.ServiceDefaults.Telemetry;

/// <summary>Names of the activity sources and meters MsaShop exports, in one place.</summary>
public static class MsaShopTelemetry
{
    /// <summary>Prefix of every MsaShop activity source and meter ("MsaShop", "MsaShop.Ordering", ...).</summary>
    public const string SourceName = "MsaShop";

    /// <summary>Activity source for spans written by MsaShop code itself.</summary>
    public static readonly ActivitySource ActivitySource = new(SourceName);

    internal static readonly string[] ActivitySources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "Npgsql",
        "MassTransit",
        SourceName,
        SourceName + ".*",
    ];

    internal static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "System.Runtime",
        "Npgsql",
        "MassTransit",
        SourceName,
        SourceName + ".*",
    ];
}
