using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace MsaShop.Gateway.Health;

/// <summary>
/// Whether the gateway can serve: for each cluster, how many destinations the load balancer may choose from
/// (<see cref="PanicModeDestinationsPolicy"/>). Healthy when every cluster has one; Degraded (still 200: a
/// restarted gateway would not bring a service back) when some have none; Unhealthy (503) when none has any.
/// </summary>
internal sealed class ClusterHealthCheck(IProxyStateLookup proxyState) : IHealthCheck
{
    public const string Name = "clusters";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var clusters = proxyState.GetClusters().OrderBy(cluster => cluster.ClusterId, StringComparer.Ordinal).ToList();
        var data = clusters.ToDictionary(cluster => cluster.ClusterId, object (cluster) => Describe(cluster));
        var description = string.Join(", ", clusters.Select(cluster =>
            $"{cluster.ClusterId} {cluster.DestinationsState.AvailableDestinations.Count}/{cluster.Destinations.Count}"));
        var unavailable = clusters.Count(cluster => cluster.DestinationsState.AvailableDestinations.Count == 0);

        var result = unavailable switch
        {
            0 => HealthCheckResult.Healthy($"available destinations: {description}", data),
            _ when unavailable < clusters.Count =>
                HealthCheckResult.Degraded($"a cluster has no available destination: {description}", data: data),
            _ => HealthCheckResult.Unhealthy($"no cluster has an available destination: {description}", data: data),
        };
        return Task.FromResult(result);
    }

    private static ClusterHealth Describe(ClusterState cluster) => new(
        cluster.DestinationsState.AvailableDestinations.Count,
        cluster.Destinations.Values.ToDictionary(
            destination => destination.Model.Config.Address,
            destination => new DestinationHealthReport(destination.Health.Active.ToString(), destination.Health.Passive.ToString())));

    private sealed record ClusterHealth(int Available, IReadOnlyDictionary<string, DestinationHealthReport> Destinations);

    private sealed record DestinationHealthReport(string Active, string Passive);
}
