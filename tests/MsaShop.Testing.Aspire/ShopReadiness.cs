using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MsaShop.Testing.Aspire;

/// <summary>
/// When a started AppHost is ready for a test: every replica of every service healthy, and the gateway has found
/// them. Services do not wait for each other (AppHost.cs), so the gateway being healthy says nothing yet about
/// catalog, ordering or payment.
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

    /// <summary>
    /// Waits until the gateway's own /health is Healthy: every cluster has a destination its probes found up. Aspire's
    /// health checks ask each service directly; the gateway finds a service that came up only at its next probe.
    /// </summary>
    public static async Task WaitUntilTheGatewayFindsEveryServiceAsync(this DistributedApplication app, CancellationToken cancellationToken)
    {
        using var gateway = app.CreateHttpClient("gateway");
        await WaitUntilTheGatewayFindsEveryServiceAsync(gateway, cancellationToken);
    }

    /// <inheritdoc cref="WaitUntilTheGatewayFindsEveryServiceAsync(DistributedApplication, CancellationToken)"/>
    /// <param name="gateway">A client whose base address is the gateway's.</param>
    public static async Task WaitUntilTheGatewayFindsEveryServiceAsync(HttpClient gateway, CancellationToken cancellationToken)
    {
        string? status = null;
        try
        {
            while ((status = await GatewayStatusAsync(gateway, cancellationToken)) != "Healthy")
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
        catch (OperationCanceledException cancelled) when (status is not null)
        {
            // Says what the gateway last reported, as the poll this replaced did on its deadline.
            throw new TimeoutException($"the gateway's /health was still {status}: it had not found every service", cancelled);
        }
    }

    // Degraded (a cluster without a destination) still answers 200, Unhealthy 503: both with the status in the body.
    private static async Task<string?> GatewayStatusAsync(HttpClient gateway, CancellationToken cancellationToken)
    {
        using var response = await gateway.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return health.RootElement.GetProperty("status").GetString();
    }

    /// <summary>How many instances Aspire runs of a resource: one unless a ReplicaAnnotation says otherwise (the last one wins).</summary>
    public static int ReplicaCount(this IResource resource) =>
        resource.Annotations.OfType<ReplicaAnnotation>().Select(annotation => annotation.Replicas).DefaultIfEmpty(1).Last();

    private static bool IsHealthy(ResourceEvent resource) =>
        resource.Snapshot.State?.Text == KnownResourceStates.Running && resource.Snapshot.HealthStatus == HealthStatus.Healthy;
}
