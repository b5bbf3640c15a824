using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MsaShop.Testing.Aspire;

/// <summary>
/// When a started AppHost is ready for a test: every replica of every service healthy. Services do not wait for
/// each other (AppHost.cs), so the gateway being healthy says nothing yet about catalog, ordering or payment.
/// </summary>
public static class ShopReadiness
{
    public static async Task WaitForEveryServiceAsync(this DistributedApplication app, CancellationToken cancellationToken)
    {
        var replicas = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>()
            .ToDictionary(service => service.Name, service => service.ReplicaCount());
        var healthy = replicas.Keys.ToDictionary(service => service, _ => new HashSet<string>());
        // The watch starts with every resource's current state, then follows each change.
        await foreach (var change in app.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (!healthy.TryGetValue(change.Resource.Name, out var instances))
            {
                continue;
            }
            if (IsHealthy(change))
            {
                instances.Add(change.ResourceId);
            }
            else
            {
                instances.Remove(change.ResourceId);
            }
            if (replicas.All(service => healthy[service.Key].Count >= service.Value))
            {
                return;
            }
        }
        throw new InvalidOperationException("the application stopped before every service was healthy");
    }

    /// <summary>How many instances Aspire runs of a resource: one unless a ReplicaAnnotation says otherwise (the last one wins).</summary>
    public static int ReplicaCount(this IResource resource) =>
        resource.Annotations.OfType<ReplicaAnnotation>().Select(annotation => annotation.Replicas).DefaultIfEmpty(1).Last();

    private static bool IsHealthy(ResourceEvent resource) =>
        resource.Snapshot.State?.Text == KnownResourceStates.Running && resource.Snapshot.HealthStatus == HealthStatus.Healthy;
}
