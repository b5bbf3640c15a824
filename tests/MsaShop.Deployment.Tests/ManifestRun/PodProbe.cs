using System.Net.Sockets;
using MsaShop.Deployment.Tests.Images;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.ManifestRun;

/// <summary>
/// A container's probe, run as the kubelet runs it: exec inside the container, httpGet and tcpSocket from the node
/// (this machine) to the pod's address and the port the probe names. Passes, or not, within its timeoutSeconds.
/// </summary>
internal sealed class PodProbe(ContainerRuntime runtime, string container, string podIp,
    IReadOnlyList<(string Name, int Port, string Protocol)> ports)
{
    private static readonly HttpClient Http = new();

    public async Task<bool> PassesAsync(JsonNode probe)
    {
        var timeout = TimeSpan.FromSeconds((int?)probe["timeoutSeconds"] ?? 1);
        try
        {
            using var cancellation = new CancellationTokenSource(timeout);
            if (probe["exec"] is { } exec)
            {
                // podman exec's own start-up is not the probe's time: the command's exit status decides.
                return await runtime.SucceedsAsync(["exec", container, .. exec["command"]!.AsArray().Select(c => (string)c!)]);
            }

            if (probe["httpGet"] is { } httpGet)
            {
                var uri = new Uri($"http://{podIp}:{Port(httpGet["port"]!)}{(string?)httpGet["path"] ?? "/"}");
                using var response = await Http.GetAsync(uri, cancellation.Token);
                return (int)response.StatusCode is >= 200 and < 400;
            }

            using var client = new TcpClient();
            await client.ConnectAsync(podIp, Port(probe["tcpSocket"]!["port"]!), cancellation.Token);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits the way the kubelet does: the startup probe within its window, then readiness.</summary>
    public async Task WaitUntilReadyAsync(JsonObject spec, TimeSpan readinessTimeout)
    {
        if (spec["startupProbe"] is { } startup)
        {
            var window = TimeSpan.FromSeconds(((int?)startup["initialDelaySeconds"] ?? 0) + ((int?)startup["periodSeconds"] ?? 10)
                * ((int?)startup["failureThreshold"] ?? 3));
            await PollAsync(startup, window, $"{container}'s startup probe (the kubelet would restart it after {window})");
        }

        if (spec["readinessProbe"] is { } readiness)
        {
            await PollAsync(readiness, readinessTimeout, $"{container}'s readiness probe");
        }
    }

    private async Task PollAsync(JsonNode probe, TimeSpan window, string what)
    {
        var period = TimeSpan.FromSeconds(Math.Min((int?)probe["periodSeconds"] ?? 10, 2));
        var deadline = DateTime.UtcNow + window;
        while (!await PassesAsync(probe))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not pass within {window}");
            }

            await Task.Delay(period);
        }
    }

    private int Port(JsonNode port) => port.GetValueKind() == System.Text.Json.JsonValueKind.Number
        ? (int)port
        : ports.Single(p => p.Name == (string?)port).Port;
}
