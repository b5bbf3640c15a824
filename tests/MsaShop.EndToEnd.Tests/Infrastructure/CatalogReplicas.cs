using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MsaShop.Testing;

namespace MsaShop.EndToEnd.Tests.Infrastructure;

/// <summary>The two replicas of the <c>catalog</c> resource: crash one, bring it back through Aspire's start command.</summary>
public sealed class CatalogReplicas(DistributedApplication app, ResourceStates states)
{
    private const string Resource = "catalog";
    private const string AssemblyName = "MsaShop.Catalog";

    /// <summary>
    /// SIGKILLs one healthy replica's service process (a crash: no shutdown code runs); returns the replica's resource id.
    /// </summary>
    public async Task<string> KillOneAsync(CancellationToken cancellationToken)
    {
        var replica = await app.ResourceNotifications.WaitForResourceAsync(Resource, IsHealthy, cancellationToken);
        using (var service = ResourceProcesses.ServiceProcess(replica, AssemblyName))
        {
            service.Kill();
        }
        // DCP sees the process exit: the replica is down, the other one keeps running. Waited for in the states that
        // HealthyCount reads, so that it counts the replica as down from here on.
        await Eventually.TrueAsync(
            () => IsInstance(replica.ResourceId, resource => KnownResourceStates.TerminalStates.Contains(resource.Snapshot.State?.Text)),
            $"{replica.ResourceId} to be down");
        return replica.ResourceId;
    }

    /// <summary>Starts a replica again, as the dashboard's Start button does, and waits until it is healthy.</summary>
    public async Task StartAsync(string replicaId, CancellationToken cancellationToken)
    {
        var result = await app.ResourceCommands.ExecuteCommandAsync(replicaId, KnownResourceCommands.StartCommand, cancellationToken);
        Assert.True(result.Success, $"start {replicaId}: {result.Message}");
        await Eventually.TrueAsync(() => IsInstance(replicaId, IsHealthy), $"{replicaId} to be healthy again");
    }

    /// <summary>How many replicas are running and healthy right now.</summary>
    public int HealthyCount() => states.Instances(Resource).Count(IsHealthy);

    private bool IsInstance(string replicaId, Func<ResourceEvent, bool> state) =>
        states.Instances(Resource).Any(resource => resource.ResourceId == replicaId && state(resource));

    private static bool IsHealthy(ResourceEvent resource) =>
        resource.Snapshot.State?.Text == KnownResourceStates.Running && resource.Snapshot.HealthStatus == HealthStatus.Healthy;
}
