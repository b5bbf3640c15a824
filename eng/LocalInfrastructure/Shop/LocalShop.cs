using System.Globalization;
using System.Text.Json;

namespace MsaShop.LocalInfrastructure;

/// <summary>
/// The whole shop as real processes on loopback, for the local run command and the end-to-end tests:
/// two catalog replicas, the catalog canary, ordering, payment and the gateway, each <c>dotnet &lt;service&gt;.dll</c>
/// from the repository's build output, configured like the AppHost would (see <see cref="ShopTopology"/>).
/// Every process is stopped by PID on disposal, and by a reaper if this process dies first.
/// </summary>
public sealed class LocalShop : IAsyncDisposable
{
    private readonly ProcessRegistry _registry;
    private readonly List<ServiceInstance> _instances;
    private readonly LocalShopOptions _options;
    private readonly HttpClient _healthClient = new() { Timeout = TimeSpan.FromSeconds(5) };
    private int _disposed;

    private LocalShop(string directory, LocalShopOptions options, ProcessRegistry registry, List<ServiceInstance> instances)
    {
        Directory = directory;
        _options = options;
        _registry = registry;
        _instances = instances;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Holds every process's log (&lt;instance&gt;.log) and the gateway's live config file.</summary>
    public string Directory { get; }

    public IReadOnlyList<ServiceInstance> Instances => _instances;

    public Uri GatewayUrl => this["gateway"].Url;

    /// <summary>The gateway's extra config file (reloaded on change): the canary weight lives here.</summary>
    public string GatewayConfigFile => Path.Combine(Directory, "gateway.json");

    /// <summary>An instance by name: catalog-0, catalog-1, catalog-canary, ordering, payment, gateway.</summary>
    public ServiceInstance this[string name] =>
        _instances.FirstOrDefault(i => i.Name == name)
        ?? throw new ArgumentException($"no instance '{name}'; there are {string.Join(", ", _instances.Select(i => i.Name))}", nameof(name));

    /// <summary>Starts every service of the shop against <paramref name="infrastructure"/> and waits until each one's /health answers 200.</summary>
    public static async Task<LocalShop> StartAsync(LocalInfrastructure infrastructure, LocalShopOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(infrastructure);
        options ??= new LocalShopOptions();
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(infrastructure.Directory, "shop")).FullName;
        var registry = new ProcessRegistry(directory);
        LocalShop? shop = null;
        try
        {
            var gatewayConfigFile = Path.Combine(directory, "gateway.json");
            shop = new LocalShop(directory, options, registry,
                ShopTopology.Create(infrastructure, options, directory, gatewayConfigFile, registry));
            await shop.SetCanaryWeightAsync(options.CanaryWeight);
            // The services at once (the catalog replicas' migrations are serialized by an advisory lock),
            // then the gateway, as the AppHost's WaitFor does: its first health probes find them up.
            var gateway = shop["gateway"];
            await shop.StartAndWaitAsync(shop._instances.Where(i => i != gateway), cancellationToken);
            await shop.StartAndWaitAsync([gateway], cancellationToken);
            return shop;
        }
        catch
        {
            if (shop is not null)
            {
                await shop.DisposeAsync();
            }
            else
            {
                registry.Dispose();
            }
            throw;
        }
    }

    private async Task StartAndWaitAsync(IEnumerable<ServiceInstance> instances, CancellationToken cancellationToken)
    {
        var started = instances.ToList();
        foreach (var instance in started)
        {
            instance.Start();
        }
        await Task.WhenAll(started.Select(i => i.WaitUntilHealthyAsync(_healthClient, _options.StartTimeout, cancellationToken)));
    }

    /// <summary>Kills one instance without grace (SIGKILL), as a crash would.</summary>
    public Task KillAsync(string name) => this[name].KillAsync();

    /// <summary>Stops one instance gracefully (SIGTERM).</summary>
    public Task StopAsync(string name) => this[name].StopAsync();

    /// <summary>Starts one instance again (stopping it first if it runs), on its old port, and waits until it is healthy.</summary>
    public async Task RestartAsync(string name, CancellationToken cancellationToken = default)
    {
        var instance = this[name];
        await instance.StopAsync();
        instance.Start();
        await instance.WaitUntilHealthyAsync(_healthClient, _options.StartTimeout, cancellationToken);
    }

    /// <summary>
    /// Sets the percentage of users the gateway sends to the catalog canary, without a restart:
    /// rewrites the gateway's config file, which it reloads on change.
    /// </summary>
    public async Task SetCanaryWeightAsync(int weight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, 100);
        var json = JsonSerializer.Serialize(new { Gateway = new { Canary = new { Weight = weight } } });
        // Written aside and renamed into place, so the gateway never reads half a file.
        var temporary = GatewayConfigFile + "." + weight.ToString(CultureInfo.InvariantCulture) + ".tmp";
        await File.WriteAllTextAsync(temporary, json);
        File.Move(temporary, GatewayConfigFile, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        await Task.WhenAll(_instances.Select(i => i.StopAsync()));
        _registry.Dispose();
        _healthClient.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // No time for graceful stops at process exit: kill, the reaper would do the same a second later.
        _registry.KillAll();
        _registry.Dispose();
    }
}
