using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MsaShop.Testing.Aspire;

namespace MsaShop.AppHost.Tests;

/// <summary>
/// The Aspire CLI, the repository's local tool, used from the repository root as a developer would: <c>aspire start</c>
/// (the https launch profile, so its dashboard proves the development certificate), <c>aspire wait</c> for the
/// gateway and each catalog replica, a request through the gateway, <c>aspire stop</c>. Every command runs under strace, which
/// sees each connection any process of the run attempts, down to the containers. Needs strace and the container
/// runtime: eng/test.sh provides both, as well as the trusted development certificate.
/// </summary>
public sealed partial class AspireCliTests
{
    // Bounds for a loaded two-core machine: `aspire start` builds the AppHost first (Debug, as on a developer's machine).
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(5);
    // DCP removes the services, then the containers and their network, after `aspire stop` has returned.
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Start_wait_request_and_stop_from_the_repository_root_leave_nothing_behind_and_call_nothing_outside_the_machine()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = new CliRun();

        var started = await run.StartAsync(ct);
        Assert.StartsWith("https://", started.DashboardUrl, StringComparison.Ordinal);

        var waitTimeout = ((int)WaitTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        await run.AspireAsync(["wait", "gateway", "--timeout", waitTimeout], ct);
        using var resources = JsonDocument.Parse(await run.AspireAsync(["describe", "--format", "Json"], ct));
        // Services do not wait for each other: the request below needs the catalog behind the gateway too, each replica
        // by its instance name (`aspire wait catalog` refuses a name that has several).
        var catalogReplicas = InstancesOf(resources, "catalog").ToList();
        Assert.Equal(2, catalogReplicas.Count);
        foreach (var replica in catalogReplicas)
        {
            await run.AspireAsync(["wait", replica, "--timeout", waitTimeout], ct);
        }
        var gateway = ResourceNamed(resources, "gateway").GetProperty("urls").EnumerateArray()
            .Single(url => url.GetProperty("name").GetString() == "http").GetProperty("url").GetString()!;
        var containers = resources.RootElement.GetProperty("resources").EnumerateArray()
            .Where(resource => resource.GetProperty("resourceType").GetString() == "Container")
            .Select(resource => resource.GetProperty("name").GetString()!)
            .ToList();
        Assert.Equal(3, containers.Count); // postgres, cache, messaging
        var containerAddresses = await CliRun.ContainerAddressesAsync(containers, ct);

        // The dashboard of the https profile, with a certificate this machine trusts (no validation switched off).
        using (var https = new HttpClient())
        using (var dashboard = await https.GetAsync(new Uri(started.DashboardUrl), ct))
        {
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        }
        using (var http = new HttpClient { BaseAddress = new Uri(gateway) })
        {
            using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                bounded.CancelAfter(WaitTimeout);
                await ShopReadiness.WaitUntilTheGatewayFindsEveryServiceAsync(http, bounded.Token);
            }
            using var page = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/catalog/items?pageSize=1", UriKind.Relative), ct));
            Assert.Equal(1, page.RootElement.GetProperty("items").GetArrayLength());
        }

        await run.AspireAsync(["stop"], ct);

        // strace ends once the last process it traces has: the CLI's, the AppHost, DCP, every service, the containers'.
        await run.WaitForEveryProcessToEndAsync(CleanupTimeout, ct);
        Assert.Empty(await CliRun.ExistingContainersAsync(containers, ct));

        var attempts = run.ConnectionAttempts();
        Assert.Contains(attempts, IPAddress.IsLoopback); // the trace did see the run's own connections
        var outside = attempts.Where(address => !IsOnThisMachine(address, containerAddresses)).Distinct().ToList();
        Assert.True(outside.Count == 0, $"connection attempts outside this machine: {string.Join(", ", outside)}");
    }

    private static IEnumerable<string> InstancesOf(JsonDocument resources, string displayName) =>
        resources.RootElement.GetProperty("resources").EnumerateArray()
            .Where(resource => resource.GetProperty("displayName").GetString() == displayName)
            .Select(resource => resource.GetProperty("name").GetString()!);

    private static JsonElement ResourceNamed(JsonDocument resources, string displayName) =>
        resources.RootElement.GetProperty("resources").EnumerateArray()
            .Single(resource => resource.GetProperty("displayName").GetString() == displayName);

    /// <summary>Loopback, "any" (a server's probe of itself), or one of the run's own containers.</summary>
    private static bool IsOnThisMachine(IPAddress address, IReadOnlySet<IPAddress> containers)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return IPAddress.IsLoopback(plain) || plain.Equals(IPAddress.Any) || plain.Equals(IPAddress.IPv6Any) || containers.Contains(plain);
    }

    /// <summary>
    /// One start of the shop through the CLI, from the repository root, with the environment a developer's shell
    /// has: no ASPIRE_CLI_TELEMETRY_OPTOUT (the repository's aspire.config.json must switch telemetry off by itself),
    /// fresh backing services (MSASHOP_CONTAINER_LIFETIME=session). Should the test host die first, a reaper
    /// stops the AppHost, and DCP everything else.
    /// </summary>
    private sealed partial class CliRun : IAsyncDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("msashop-aspire-cli-").FullName;
        private readonly string _pidFile;
        private readonly Process _reaper;
        private Process? _tracedStart;
        private int _commands;

        public CliRun()
        {
            _pidFile = Path.Combine(_directory, "apphost.pid");
            File.WriteAllText(_pidFile, "");
            var script = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; pids=$(cat \"$2\"); [ -z \"$pids\" ] || kill -TERM $pids";
            _reaper = Process.Start(new ProcessStartInfo("sh", ["-c", script, "msashop-aspire-cli-reaper",
                Environment.ProcessId.ToString(CultureInfo.InvariantCulture), _pidFile]))!;
        }

        public sealed record Started(int AppHostPid, int CliPid, string DashboardUrl);

        /// <summary>
        /// <c>aspire start</c>, traced: strace follows the CLI into everything it starts, and writes what the CLI prints
        /// to a file, since its descendants keep the output open long after the CLI has returned.
        /// </summary>
        public async Task<Started> StartAsync(CancellationToken ct)
        {
            var output = Path.Combine(_directory, "start.json");
            _tracedStart = Process.Start(Traced(
                ["start", "--launch-profile", "https", "--isolated", "--format", "Json"], redirectTo: output))!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(StartTimeout);
            while (true)
            {
                // The CLI prints one JSON object once the AppHost runs in the background.
                var text = File.Exists(output) ? await File.ReadAllTextAsync(output, timeout.Token) : "";
                if (JsonObject().Match(text) is { Success: true } json)
                {
                    using var started = JsonDocument.Parse(json.Value);
                    var result = new Started(
                        started.RootElement.GetProperty("appHostPid").GetInt32(),
                        started.RootElement.GetProperty("cliPid").GetInt32(),
                        started.RootElement.GetProperty("dashboardUrl").GetString()!);
                    await File.WriteAllTextAsync(_pidFile, $"{result.AppHostPid} {result.CliPid}", timeout.Token);
                    return result;
                }
                Assert.False(_tracedStart.HasExited && _tracedStart.ExitCode != 0, $"aspire start failed: {text}");
                await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
            }
        }

        /// <summary>
        /// Runs <c>dotnet aspire &lt;arguments&gt;</c> under strace and returns what it printed; fails on a non-zero exit.
        /// </summary>
        public async Task<string> AspireAsync(string[] arguments, CancellationToken ct)
        {
            var start = Traced(arguments, redirectTo: null);
            using var cli = Process.Start(start)!;
            var output = cli.StandardOutput.ReadToEndAsync(ct);
            var errors = cli.StandardError.ReadToEndAsync(ct);
            await cli.WaitForExitAsync(ct);
            Assert.True(cli.ExitCode == 0,
                $"aspire {string.Join(' ', arguments)} exited with {cli.ExitCode}: {await output}{await errors}");
            return await output;
        }

        public async Task WaitForEveryProcessToEndAsync(TimeSpan timeout, CancellationToken ct)
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bounded.CancelAfter(timeout);
            try
            {
                await _tracedStart!.WaitForExitAsync(bounded.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                Assert.Fail(
                    $"processes of the run were still alive {timeout.TotalSeconds} s after aspire stop: {ProcessesOf(_tracedStart!.Id)}");
            }
        }

        /// <summary>The IP addresses each container of the run has on its networks.</summary>
        public static async Task<IReadOnlySet<IPAddress>> ContainerAddressesAsync(IEnumerable<string> containers, CancellationToken ct)
        {
            var addresses = await RunAsync(Runtime,
                ["inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", .. containers], ct);
            return addresses.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(IPAddress.Parse).ToHashSet();
        }

        public static async Task<List<string>> ExistingContainersAsync(IEnumerable<string> containers, CancellationToken ct)
        {
            var all = await RunAsync(Runtime, ["ps", "-a", "--format", "{{.Names}}"], ct);
            return all.Split('\n', StringSplitOptions.RemoveEmptyEntries).Intersect(containers).ToList();
        }

        /// <summary>Every address an IPv4 or IPv6 connect() of the run went to, from all the commands' traces.</summary>
        public List<IPAddress> ConnectionAttempts() =>
            Directory.EnumerateFiles(_directory, "*.trace")
                .SelectMany(File.ReadLines)
                .Select(line => ConnectAddress().Match(line))
                .Where(match => match.Success)
                .Select(match => IPAddress.Parse(match.Groups["v4"].Success ? match.Groups["v4"].Value : match.Groups["v6"].Value))
                .ToList();

        public async ValueTask DisposeAsync()
        {
            if (_tracedStart is { HasExited: false })
            {
                // The test failed before the stop: end the run the way the reaper would.
                var pids = (await File.ReadAllTextAsync(_pidFile)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                foreach (var pid in pids)
                {
                    Process.Start("kill", ["-TERM", pid])!.WaitForExit();
                }
                using var cleanup = new CancellationTokenSource(CleanupTimeout);
                try
                {
                    await _tracedStart.WaitForExitAsync(cleanup.Token);
                }
                catch (OperationCanceledException)
                {
                    _tracedStart.Kill(entireProcessTree: true);
                }
            }
            _tracedStart?.Dispose();
            if (!_reaper.HasExited)
            {
                _reaper.Kill();
                await _reaper.WaitForExitAsync();
            }
            _reaper.Dispose();
            Directory.Delete(_directory, recursive: true);
        }

        private static string Runtime =>
            Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } runtime ? runtime : "podman";

        private ProcessStartInfo Traced(string[] arguments, string? redirectTo)
        {
            var trace = Path.Combine(_directory, $"{Interlocked.Increment(ref _commands)}-{arguments[0]}.trace");
            // A session of its own: `aspire stop` signals the AppHost's process group, which must not be this test's.
            // Only connect() stops a traced process (seccomp-bpf), so the run is not slowed down by every send.
            string[] strace = ["setsid", "--wait", "strace", "-f", "-qq", "--seccomp-bpf", "-e", "trace=connect", "-o", trace,
                "dotnet", "aspire", .. arguments, "--non-interactive", "--nologo"];
            var start = redirectTo is null
                ? new ProcessStartInfo(strace[0], strace[1..]) { RedirectStandardOutput = true, RedirectStandardError = true }
                : new ProcessStartInfo("sh", ["-c", "out=$1; shift; exec \"$@\" > \"$out\" 2>&1", "aspire-start", redirectTo, .. strace]);
            start.WorkingDirectory = Repository.Root;
            start.Environment.Remove("ASPIRE_CLI_TELEMETRY_OPTOUT");
            start.Environment["MSASHOP_CONTAINER_LIFETIME"] = "session";
            return start;
        }

        private static string ProcessesOf(int tracer)
        {
            var ps = Process.Start(new ProcessStartInfo("ps",
                ["--ppid", tracer.ToString(CultureInfo.InvariantCulture), "-o", "pid,args"]) { RedirectStandardOutput = true })!;
            return ps.StandardOutput.ReadToEnd();
        }

        private static async Task<string> RunAsync(string command, string[] arguments, CancellationToken ct)
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true })!;
            var output = await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}");
            return output;
        }

        [GeneratedRegex(@"\{\s*""appHostPath"".*?\n\}", RegexOptions.Singleline)]
        private static partial Regex JsonObject();

        // strace: connect(5, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}, 16) and
        // connect(5, {sa_family=AF_INET6, ..., inet_pton(AF_INET6, "::ffff:1.2.3.4", &sin6_addr), ...}, 28)
        [GeneratedRegex(
            @"connect\(\d+, \{sa_family=AF_INET6?, .*?(?:inet_addr\(""(?<v4>[^""]+)""\)|inet_pton\(AF_INET6, ""(?<v6>[^""]+)"")")]
        private static partial Regex ConnectAddress();
    }
}
