using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using MsaShop.Deployment.Tests.Images;

namespace MsaShop.Deployment.Tests.ManifestRun;

/// <summary>
/// A Service's virtual address, as kube-proxy makes it: a network namespace of its own on the run's network (an
/// idle container holds it), where socat forwards each Service port to the target port of the pod it selects.
/// socat runs on this machine inside that namespace (nsenter, so the images need no proxy of their own), each in a
/// process group of its own (setsid) that holds the children it forks per connection; the test stops the group.
/// </summary>
internal sealed class ServiceProxy(ContainerRuntime runtime, string container, string address) : IDisposable
{
    private readonly List<Process> _forwarders = [];

    public string Container { get; } = container;

    public string Address { get; } = address;

    public IEnumerable<int> Pids => _forwarders.Select(p => p.Id);

    /// <summary>Starts forwarding <paramref name="port"/> of the Service to <paramref name="target"/> and waits until it listens.</summary>
    public async Task ForwardAsync(int port, string target, string log)
    {
        var pid = await runtime.RunAsync("inspect", "--format", "{{.State.Pid}}", Container);
        var forwarder = Process.Start(new ProcessStartInfo("bash",
            ["-c", "exec setsid nsenter -t \"$1\" -n socat \"TCP-LISTEN:$2,fork,reuseaddr\" \"TCP:$3\" >> \"$4\" 2>&1", "forward", pid,
                port.ToString(CultureInfo.InvariantCulture), target, log])
        {
            UseShellExecute = false,
        })!;
        _forwarders.Add(forwarder);
        await Eventually.TrueAsync(async () => forwarder.HasExited || await ListensAsync(port), $"{Container} to listen on {port}");
        if (forwarder.HasExited)
        {
            throw new InvalidOperationException($"the forwarder of {Container}:{port} exited: {await File.ReadAllTextAsync(log)}");
        }
    }

    public void Dispose()
    {
        foreach (var forwarder in _forwarders)
        {
            if (!forwarder.HasExited)
            {
                // The group: socat and the connections it forked, which would outlive it.
                using var group =
                    Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", $"-{forwarder.Id}"]) { UseShellExecute = false })!;
                group.WaitForExit();
                forwarder.WaitForExit();
            }

            forwarder.Dispose();
        }
    }

    private async Task<bool> ListensAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(Address, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
