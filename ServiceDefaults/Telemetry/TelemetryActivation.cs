using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace MsaShop.ServiceDefaults.Telemetry;

/// <summary>
/// Resolves the <see cref="OpenTelemetrySdk"/> when the host starts, so its listeners are active before
/// the first request; the container disposes it (flushing exporters) at shutdown.
/// </summary>
internal sealed class TelemetryActivation(OpenTelemetrySdk sdk) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(sdk);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
