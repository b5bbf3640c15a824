using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace MsaShop.Gateway.Health;

/// <summary>
/// Which destinations the load balancer may choose from: the healthy ones; when none is left, panic
/// mode: every destination the active probe has not marked down. One failed connection each (a blip)
/// must not turn every read into a 503 for the reactivation period; the probe's verdict is what
/// counts. Only when the probes agree that every destination is down is the list empty, and the
/// gateway answers 503 at once.
/// </summary>
/// <remarks>
/// YARP's own <c>HealthyOrPanic</c> falls back to every destination, so a cluster that is really dead is
/// still tried on every request; <c>HealthyAndUnknown</c> never falls back, so two blips are an outage.
/// </remarks>
internal sealed class PanicModeDestinationsPolicy : IAvailableDestinationsPolicy
{
    public const string Name = "HealthyOrPanicUntilProbedDown";

    string IAvailableDestinationsPolicy.Name => Name;

    public IReadOnlyList<DestinationState> GetAvailalableDestinations(ClusterConfig config, IReadOnlyList<DestinationState> allDestinations)
    {
        var healthy = allDestinations.Where(destination => IsUp(destination.Health.Active) && IsUp(destination.Health.Passive)).ToList();
        return healthy.Count > 0
            ? healthy
            : allDestinations.Where(destination => IsUp(destination.Health.Active)).ToList();
    }

    // Unknown counts as up: a new destination, or one whose passive mark has expired, gets traffic.
    private static bool IsUp(DestinationHealth health) => health != DestinationHealth.Unhealthy;
}
