using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace MsaShop.Gateway.Health;

/// <summary>How quickly a dead instance leaves rotation (section <c>Gateway:HealthChecks</c>).</summary>
public sealed class DestinationHealthOptions
{
    public const string SectionName = "Gateway:HealthChecks";

    /// <summary>How often each destination's GET /health is probed.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A probe slower than this counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Failed probes in a row that mark a destination unhealthy.</summary>
    public int ConsecutiveFailures { get; set; } = 2;

    /// <summary>
    /// How long a destination that refused a connection stays out of rotation, unless every other one is out too
    /// (panic mode: <see cref="PanicModeDestinationsPolicy"/>).
    /// </summary>
    public TimeSpan ReactivationPeriod { get; set; } = TimeSpan.FromSeconds(10);

    internal HealthCheckConfig ToHealthCheckConfig() => new()
    {
        AvailableDestinationsPolicy = PanicModeDestinationsPolicy.Name,
        Active = new ActiveHealthCheckConfig
        {
            Enabled = true,
            Interval = Interval,
            Timeout = Timeout,
            Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
            Path = Extensions.HealthEndpointPath,
        },
        Passive = new PassiveHealthCheckConfig
        {
            Enabled = true,
            Policy = ConnectionFailureHealthPolicy.Name,
            ReactivationPeriod = ReactivationPeriod,
        },
    };

    internal Dictionary<string, string> ToClusterMetadata() => new()
    {
        ["ConsecutiveFailuresHealthPolicy.Threshold"] = ConsecutiveFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
