using System.Diagnostics;
using System.Globalization;

namespace MsaShop.LocalInfrastructure;

/// <summary>
/// MsaShop's services as plain processes, as a deployment runs them (no Aspire, no DCP proxies): each built
/// service started with <c>dotnet &lt;dll&gt;</c> on its own loopback port, in Production by default, told only what
/// Aspire or Kubernetes would tell it (connection strings, discovery keys, the signing key). Catalog and ordering
/// replicas and payment start side by side; the gateway once they are healthy, as the AppHost's WaitFor has it.
/// </summary>
public sealed class LocalShop : IAsyncDisposable
{
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromMinutes(3);
    private readonly List<LocalProcess> _processes = [];
    private readonly Dictionary<string, Uri> _addresses = [];
    private readonly Dictionary<string, TimeSpan> _startupTimes = [];
    private int _disposed;

    private LocalShop(LocalInfrastructure infrastructure, LocalShopOptions options)
    {
        Infrastructure = infrastructure;
        Options = options;
    }

    public LocalInfrastructure Infrastructure { get; }

    public LocalShopOptions Options { get; }

    public Uri Gateway => _addresses["gateway"];

    /// <summary>Each instance's own address: catalog-0, catalog-1, …, catalog-canary, ordering-0, ordering-1, …, payment, gateway.</summary>
    public IReadOnlyDictionary<string, Uri> Addresses => _addresses;

    /// <summary>Each instance's time from process start to its first healthy /health.</summary>
    public IReadOnlyDictionary<string, TimeSpan> StartupTimes => _startupTimes;

    public IReadOnlyList<LocalProcess> Processes => _processes;

    /// <summary>Starts the services on <paramref name="infrastructure"/> (its servers and databases already up) and waits until each is healthy.</summary>
    public static async Task<LocalShop> StartAsync(LocalInfrastructure infrastructure, LocalShopOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(infrastructure);
        ArgumentNullException.ThrowIfNull(options);
        var shop = new LocalShop(infrastructure, options);
        try
        {
            var catalogs = Replicas("catalog", options.CatalogReplicas);
            var orderings = Replicas("ordering", options.OrderingReplicas);
            string?[] instances = [.. catalogs, options.CatalogCanary ? "catalog-canary" : null, .. orderings, "payment", "gateway"];
            foreach (var name in instances.OfType<string>())
            {
                shop._addresses[name] = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var first = new List<string>(catalogs);
            if (options.CatalogCanary)
            {
                first.Add("catalog-canary");
            }
            first.AddRange(["payment", .. orderings]);
            await Task.WhenAll(first.Select(name => shop.StartInstanceAsync(name, http, cancellationToken)));
            await shop.StartInstanceAsync("gateway", http, cancellationToken);
            return shop;
        }
        catch
        {
            await shop.DisposeAsync();
            throw;
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

    private async Task StartInstanceAsync(string instance, HttpClient http, CancellationToken cancellationToken)
    {
        var service = ServiceOf(instance);
        var project = service switch
        {
            "catalog" or "catalog-canary" => ("services/Catalog", "MsaShop.Catalog"),
            "ordering" => ("services/Ordering", "MsaShop.Ordering"),
            "payment" => ("services/Payment", "MsaShop.Payment"),
            _ => ("gateway", "MsaShop.Gateway"),
        };
        var output = Options.PublishedServices is { } published
            ? Path.Combine(published, project.Item2)
            : Path.Combine(Options.RepositoryRoot, project.Item1, "bin", Options.Configuration, "net10.0");
        var dll = Path.Combine(output, project.Item2 + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built: dotnet build -c {Options.Configuration} first.", dll);
        }

        var start = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = output };
        foreach (var (key, value) in EnvironmentOf(instance, service))
        {
            start.Environment[key] = value;
        }
        // Nothing is exported anywhere unless the caller says so.
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");

        var started = Stopwatch.GetTimestamp();
        LocalProcess process;
        lock (_processes)
        {
            process = Infrastructure.StartProcess(instance, start);
            _processes.Add(process);
        }
        var health = new Uri(_addresses[instance], "/health");
        var deadline = started + (long)(HealthTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{instance} exited during start-up; its log: {process.LogPath}\n{Tail(process.LogPath)}");
            }
            try
            {
                using var response = await http.GetAsync(health, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    lock (_startupTimes)
                    {
                        _startupTimes[instance] = Stopwatch.GetElapsedTime(started);
                    }
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
                throw new TimeoutException($"{instance} was not healthy within {HealthTimeout.TotalMinutes:0} minutes; its log: {process.LogPath}\n{Tail(process.LogPath)}");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    // What Aspire (or a Kubernetes manifest) would set: its address, environment, connection strings, discovery keys, the key.
    private Dictionary<string, string> EnvironmentOf(string instance, string service)
    {
        var connections = Infrastructure.ConnectionStrings;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = _addresses[instance].ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = Options.Environment,
            ["DOTNET_ENVIRONMENT"] = Options.Environment,
            ["Identity__SigningKey"] = Options.SigningKey,
        };
        void Connection(string name) => environment[$"ConnectionStrings__{name}"] = connections[name];
        void Discovery(string name, IEnumerable<string> instances)
        {
            var index = 0;
            foreach (var target in instances)
            {
                environment[string.Create(CultureInfo.InvariantCulture, $"services__{name}__http__{index++}")] = _addresses[target].ToString();
            }
        }
        var catalogs = InstancesOf("catalog");
        switch (service)
        {
            case "catalog" or "catalog-canary":
                environment["CATALOG_VERSION"] = service == "catalog" ? "stable" : "canary";
                Connection(ResourceNames.CatalogDb);
                Connection(ResourceNames.Cache);
                Connection(ResourceNames.Messaging);
                break;
            case "ordering":
                Connection(ResourceNames.OrderingDb);
                Connection(ResourceNames.Messaging);
                Discovery("catalog", catalogs);
                break;
            case "payment":
                Connection(ResourceNames.PaymentDb);
                Connection(ResourceNames.Messaging);
                break;
            default:
                Discovery("catalog", catalogs);
                Discovery("catalog-canary", [Options.CatalogCanary ? "catalog-canary" : catalogs[0]]);
                Discovery("ordering", InstancesOf("ordering"));
                break;
        }
        foreach (var (key, value) in Options.CommonSettings)
        {
            environment[key] = value;
        }
        foreach (var (key, value) in Options.Settings.GetValueOrDefault(service) ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        return environment;
    }

    /// <summary>The replicas of a service, by instance name: catalog-0, catalog-1, ….</summary>
    public IReadOnlyList<string> InstancesOf(string service) => [.. _addresses.Keys.Where(instance => ServiceOf(instance) == service)];

    private static List<string> Replicas(string service, int count) => [.. Enumerable.Range(0, count).Select(i => $"{service}-{i}")];

    // catalog-0 → catalog, ordering-1 → ordering; catalog-canary, payment and gateway are their own service.
    private static string ServiceOf(string instance) =>
        instance.LastIndexOf('-') is var dash and > 0 && int.TryParse(instance.AsSpan(dash + 1), CultureInfo.InvariantCulture, out _)
            ? instance[..dash]
            : instance;

    private static string Tail(string path)
    {
        try
        {
            return string.Join('\n', File.ReadLines(path).TakeLast(30));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Stops the gateway first, then the rest, each by PID (SIGTERM, SIGKILL after 10 s). The servers stay: they are the caller's.</summary>
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
    }
}
