using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace MsaShop.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The latest state of every resource instance, each replica on its own, kept current from Aspire's
/// notifications for as long as the application runs.
/// </summary>
public sealed class ResourceStates : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ResourceEvent> _latest = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;

    public ResourceStates(DistributedApplication app) => _watching = WatchAsync(app, _stop.Token);

    /// <summary>Every instance of <paramref name="resourceName"/> (e.g. both catalog replicas), as last reported.</summary>
    public IReadOnlyList<ResourceEvent> Instances(string resourceName) =>
        _latest.Values.Where(instance => instance.Resource.Name == resourceName).ToList();

    private async Task WatchAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(cancellationToken))
            {
                _latest[update.ResourceId] = update;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _stop.Dispose();
    }
}
