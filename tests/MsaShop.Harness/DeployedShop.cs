using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace MsaShop.Harness;

/// <summary>
/// MsaShop as a deployment runs it, on this machine: PostgreSQL, Redis and RabbitMQ (<see cref="BackingServers"/>), and
/// every project of the AppHost's manifest as plain processes (no Aspire, no DCP proxies), each built service started
/// with <c>dotnet &lt;dll&gt;</c> on its own loopback port, in Production, told exactly what the manifest tells it, its
/// expressions resolved against these servers and instances (<see cref="ManifestResolver"/>), and a signing key of the
/// run's own. A project starts once the projects it references are healthy, as the AppHost's WaitFor has it.
/// </summary>
public sealed class DeployedShop : IAsyncDisposable
{
    private const string SigningKeyParameter = "jwt-signing-key";
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromMinutes(3);
    private readonly List<LocalProcess> _processes = [];
    private readonly Dictionary<string, Uri> _addresses = [];
    private readonly Dictionary<string, TimeSpan> _startupTimes = [];
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _environments = [];
    private ManifestResolver _resolver = null!;
    private int _disposed;

    private DeployedShop(BackingServers servers, AppHostManifest manifest, DeployedShopOptions options)
    {
        Servers = servers;
        Manifest = manifest;
        Options = options;
    }

    public BackingServers Servers { get; }

    public AppHostManifest Manifest { get; }

    public DeployedShopOptions Options { get; }

    /// <summary>The deployment's token signing key (the manifest's jwt-signing-key parameter), random per run.</summary>
    public string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    public Uri Gateway => _addresses["gateway"];

    /// <summary>
    /// Each instance's own address: catalog-0, catalog-1, …, catalog-canary, ordering-0, ordering-1, …, payment, gateway.
    /// </summary>
    public IReadOnlyDictionary<string, Uri> Addresses => _addresses;

    /// <summary>Each instance's time from process start to its first healthy /health.</summary>
    public IReadOnlyDictionary<string, TimeSpan> StartupTimes => _startupTimes;

    public IReadOnlyList<LocalProcess> Processes => _processes;

    /// <summary>Starts the servers, then the services, and waits until each is healthy.</summary>
    public static async Task<DeployedShop> StartAsync(DeployedShopOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var manifest = options.Manifest
            ?? await AppHostManifest.OfBuildAsync(options.RepositoryRoot, options.Configuration, cancellationToken);
        ThrowOnUnknownNames(manifest, options);
        var servers = await BackingServers.StartAsync(
            new BackingServersOptions { DurablePostgres = options.DurablePostgres }, cancellationToken);
        var shop = new DeployedShop(servers, manifest, options);
        try
        {
            await shop.StartServicesAsync(cancellationToken);
            return shop;
        }
        catch
        {
            await shop.DisposeAsync();
            throw;
        }
    }

    private async Task StartServicesAsync(CancellationToken cancellationToken)
    {
        var projects = Manifest.Projects.Where(project => project != "catalog-canary" || Options.CatalogCanary).ToList();
        foreach (var instance in projects.SelectMany(InstanceNamesOf))
        {
            _addresses[instance] = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        }
        var connectionStrings = new Dictionary<string, string>(Servers.ConnectionStrings);
        foreach (var (name, connectionString) in Options.ConnectionStrings?.Invoke(Servers) ?? new Dictionary<string, string>())
        {
            connectionStrings[name] = connectionStrings.ContainsKey(name)
                ? connectionString
                : throw new KeyNotFoundException($"no server gives '{name}'");
        }
        _resolver = new ManifestResolver(Manifest, connectionStrings, new Dictionary<string, string> { [SigningKeyParameter] = SigningKey },
            (resource, binding) => binding == "http" ? AddressesOf(resource) : null);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var started = new HashSet<string>();
        while (started.Count < projects.Count)
        {
            // Those whose references are up; what the rest still waits for, a reference outside the manifest's projects, cannot come.
            var ready = projects
                .Where(p => !started.Contains(p) && _resolver.ReferencesOf(p).All(r => started.Contains(r) || !projects.Contains(r)))
                .ToList();
            if (ready.Count == 0)
            {
                throw new InvalidOperationException(
                    $"the manifest's projects reference each other in a circle: {string.Join(", ", projects.Except(started))}");
            }
            await Task.WhenAll(ready.SelectMany(InstanceNamesOf).Select(instance => StartInstanceAsync(instance, http, cancellationToken)));
            started.UnionWith(ready);
        }
    }

    /// <summary>The process of one instance (catalog-0, ordering-1, …).</summary>
    public LocalProcess Process(string instance)
    {
        lock (_processes)
        {
            return _processes.Single(p => p.Name == instance);
        }
    }

    /// <summary>The environment an instance was started with: the manifest's, resolved, and what this run adds.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOf(string instance) => _environments[instance];

    /// <summary>The replicas of a project, by instance name: catalog-0, catalog-1, ….</summary>
    public IReadOnlyList<string> InstancesOf(string project) => [.. _addresses.Keys.Where(instance => ProjectOf(instance) == project)];

    /// <summary>
    /// Starts an instance again at its own address, as a platform restarts a crashed container, once its process has
    /// ended (killed, or stopped here), and waits until it is healthy.
    /// </summary>
    public async Task StartAgainAsync(string instance, CancellationToken cancellationToken = default)
    {
        var ended = Process(instance);
        await ended.StopAsync();
        lock (_processes)
        {
            _processes.Remove(ended);
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await StartInstanceAsync(instance, http, cancellationToken);
    }

    /// <summary>Copies every server's and service's log to <paramref name="directory"/>: the servers' directory goes with them.</summary>
    public void CopyLogsTo(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        foreach (var log in System.IO.Directory.EnumerateFiles(Servers.Directory, "*.log", SearchOption.AllDirectories))
        {
            using var source = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var copy = File.Create(Path.Combine(directory, Path.GetFileName(log)));
            source.CopyTo(copy);
        }
    }

    private async Task StartInstanceAsync(string instance, HttpClient http, CancellationToken cancellationToken)
    {
        var project = ProjectOf(instance);
        var assemblyName = Path.GetFileNameWithoutExtension(Manifest.ProjectPathOf(project));
        var output = Options.PublishedServices is { } published
            ? Path.Combine(published, assemblyName)
            : Path.Combine(Path.GetDirectoryName(Manifest.ProjectPathOf(project))!, "bin", Options.Configuration, "net10.0");
        var dll = Path.Combine(output, assemblyName + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built: dotnet build -c {Options.Configuration} first.", dll);
        }

        var environment = EnvironmentFor(instance, project);
        var start = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = output };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        // Nothing is exported anywhere unless the caller says so.
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");

        var started = Stopwatch.GetTimestamp();
        LocalProcess process;
        lock (_processes)
        {
            _environments[instance] = environment;
            process = Servers.StartProcess(instance, start);
            _processes.Add(process);
        }
        await WaitUntilHealthyAsync(instance, process, http, cancellationToken);
        lock (_startupTimes)
        {
            _startupTimes[instance] = Stopwatch.GetElapsedTime(started);
        }
    }

    // The manifest's variables, then the run's: its address on loopback (ASPNETCORE_URLS wins over HTTP_PORTS), its
    // environment, and the settings it was given.
    private Dictionary<string, string> EnvironmentFor(string instance, string project)
    {
        var environment = _resolver.EnvironmentOf(project, _addresses[instance]);
        environment["ASPNETCORE_URLS"] = _addresses[instance].ToString();
        environment["ASPNETCORE_ENVIRONMENT"] = Options.Environment;
        environment["DOTNET_ENVIRONMENT"] = Options.Environment;
        foreach (var (key, value) in Options.Settings.GetValueOrDefault(project) ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        return environment;
    }

    // Before anything starts: what the options change must be named as the manifest names it.
    private static void ThrowOnUnknownNames(AppHostManifest manifest, DeployedShopOptions options)
    {
        foreach (var name in options.Replicas.Keys.Concat(options.Settings.Keys).Where(name => !manifest.Projects.Contains(name)))
        {
            throw new KeyNotFoundException($"the AppHost manifest runs no project '{name}'");
        }
        foreach (var (project, settings) in options.Settings)
        {
            foreach (var key in settings.Keys.Where(manifest.EnvironmentOf(project).ContainsKey))
            {
                throw new InvalidOperationException(
                    $"{project}: the AppHost manifest sets {key} already; change what its expression names instead");
            }
        }
    }

    private async Task WaitUntilHealthyAsync(string instance, LocalProcess process, HttpClient http, CancellationToken cancellationToken)
    {
        var health = new Uri(_addresses[instance], "/health");
        var deadline = Stopwatch.GetTimestamp() + (long)(HealthTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{instance} exited during start-up; its log: {process.LogPath}\n{LogFile.Tail(process.LogPath, 30)}");
            }
            try
            {
                using var response = await http.GetAsync(health, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Answering slowly: asked again.
            }
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException(
                    $"{instance} was not healthy within {HealthTimeout.TotalMinutes:0} minutes; " +
                    $"its log: {process.LogPath}\n{LogFile.Tail(process.LogPath, 30)}");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    // What a reference to a project's http binding reaches: its instances; catalog-canary's, the first catalog when it does not run.
    private IReadOnlyList<Uri> AddressesOf(string project) =>
        project == "catalog-canary" && !Options.CatalogCanary
            ? [_addresses[InstancesOf("catalog")[0]]]
            : [.. InstancesOf(project).Select(instance => _addresses[instance])];

    private IEnumerable<string> InstanceNamesOf(string project) => Options.Replicas.TryGetValue(project, out var count)
        ? Enumerable.Range(0, count).Select(index => string.Create(CultureInfo.InvariantCulture, $"{project}-{index}"))
        : [project];

    // catalog-0 → catalog, ordering-1 → ordering; catalog-canary, payment and gateway are their own project.
    private static string ProjectOf(string instance) =>
        instance.LastIndexOf('-') is var dash and > 0 && int.TryParse(instance.AsSpan(dash + 1), CultureInfo.InvariantCulture, out _)
            ? instance[..dash]
            : instance;

    /// <summary>Stops the gateway first, then the rest, each by PID (SIGTERM, SIGKILL after 10 s), then the servers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        List<LocalProcess> processes;
        lock (_processes)
        {
            processes = [.. _processes];
        }
        var gateway = processes.Where(p => p.Name == "gateway").ToList();
        await Task.WhenAll(gateway.Select(p => p.StopAsync()));
        await Task.WhenAll(processes.Except(gateway).Select(p => p.StopAsync()));
        await Servers.DisposeAsync();
    }
}
