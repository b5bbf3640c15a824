using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace MsaShop.LocalInfrastructure;

/// <summary>
/// One process of the shop (e.g. catalog replica <c>catalog-1</c>): <c>dotnet &lt;service&gt;.dll</c> on a
/// fixed loopback port, its configuration in environment variables, its output in a log file.
/// The port stays the same across a restart, so the addresses given to the others stay valid.
/// </summary>
public sealed class ServiceInstance
{
    private readonly string _assemblyPath;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly ProcessRegistry _registry;
    private ServerProcess? _process;

    internal ServiceInstance(string name, string service, string assemblyPath, int port,
        IReadOnlyDictionary<string, string> environment, string logPath, ProcessRegistry registry)
    {
        Name = name;
        Service = service;
        _assemblyPath = assemblyPath;
        Port = port;
        _environment = environment;
        LogPath = logPath;
        _registry = registry;
    }

    // The SDK names the dotnet it runs under (dotnet test, dotnet run); otherwise the one on PATH.
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>The instance's own name, e.g. <c>catalog-0</c>, <c>catalog-canary</c>, <c>gateway</c>.</summary>
    public string Name { get; }

    /// <summary>The resource name it serves under (the <c>OTEL_SERVICE_NAME</c>), e.g. <c>catalog</c>.</summary>
    public string Service { get; }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    public string LogPath { get; }

    public int? Pid => _process?.Pid;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string LogTail(int lines = 40) => LogFile.Tail(LogPath, lines);

    internal void Start()
    {
        if (!File.Exists(_assemblyPath))
        {
            throw new FileNotFoundException(
                $"{Name}: {_assemblyPath} does not exist; build the solution first (dotnet build MsaShop.sln -c <configuration>)", _assemblyPath);
        }
        // The log path on the command line labels the process: `pgrep -f msashop-infra-` finds every
        // process of a run, servers and services alike. No service reads this key.
        var start = new ProcessStartInfo(DotnetHost, [_assemblyPath, $"--LocalShop:Log={LogPath}"])
        {
            WorkingDirectory = Path.GetDirectoryName(_assemblyPath)!,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        _process = ServerProcess.Start(_registry, Name, start, LogPath);
    }

    /// <summary>Waits until GET /health answers 200 (Healthy or Degraded); fails with the log tail if the process exits or the time runs out.</summary>
    internal async Task WaitUntilHealthyAsync(HttpClient client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var health = new Uri(Url, "/health");
        await CommandRunner.WaitUntilAsync(async () =>
        {
            if (!IsRunning)
            {
                throw new InvalidOperationException(
                    $"{Name} exited during start-up. Log {LogPath}:{Environment.NewLine}{LogTail()}");
            }
            try
            {
                using var response = await client.GetAsync(health, cancellationToken);
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false; // one slow answer: ask again
            }
        }, $"{Name} ({health} answering 200)", LogPath, timeout, cancellationToken);
    }

    /// <summary>Graceful stop (SIGTERM: the host drains and stops its hosted services), SIGKILL after the grace period.</summary>
    internal async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.StopAsync(Native.SigTerm, TimeSpan.FromSeconds(20));
        }
    }

    /// <summary>SIGKILL: a crash, no shutdown code runs.</summary>
    internal async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.KillAsync();
        }
    }
}
