using System.Globalization;
using System.Net;
using System.Text.Json;

namespace MsaShop.Deployment.Tests.Images;

/// <summary>The PostgreSQL, Redis and RabbitMQ images the AppHost runs (eng/containers/images.sh tells which).</summary>
internal sealed record ServerImages(string Postgres, string Redis, string RabbitMq);

/// <summary>
/// MsaShop run from its published images as a platform runs it: catalog, ordering, payment and gateway beside
/// PostgreSQL, Redis and RabbitMQ, on one network of their own, each service configured only by environment
/// variables (the keys Aspire injects and the Kubernetes manifests set) and restricted as the manifests'
/// securityContext restricts it. Only the gateway publishes a port, on 127.0.0.1. Every container gets the same
/// host entries, the names a cluster's DNS would give: podman's CNI networks on this machine resolve no names.
/// </summary>
internal sealed class ShopContainers
{
    private const int HttpPort = 8080;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    // Host name → last octet of its address on the network.
    private static readonly Dictionary<string, int> Hosts = new()
    {
        ["postgres"] = 10, ["redis"] = 11, ["rabbitmq"] = 12,
        ["catalog"] = 20, ["ordering"] = 21, ["payment"] = 22, ["gateway"] = 23,
    };

    // The gateway last, once what it routes to is healthy, as the AppHost's WaitFor starts it: its active health
    // checks would take a destination they probed too early out of rotation for a while.
    private static readonly string[][] StartOrder = [["catalog", "payment", "ordering"], ["gateway"]];

    // What the Kubernetes manifests' securityContext imposes on every service (deploy/kubernetes/base/common):
    // a read-only root file system with a writable /tmp, no capabilities, no privilege escalation.
    private static readonly string[] PodSecurity = ["--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL", "--security-opt", "no-new-privileges"];

    private readonly ContainerRuntime _runtime;
    private readonly string _prefix;
    private readonly IReadOnlyList<string> _labels;
    private readonly string _postgresPassword = Secret();
    private readonly string _redisPassword = Secret();
    private readonly string _rabbitMqPassword = Secret();
    private string _subnetPrefix = "";

    private ShopContainers(ContainerRuntime runtime, string prefix, IReadOnlyList<string> labels)
    {
        _runtime = runtime;
        _prefix = prefix;
        _labels = labels;
    }

    public string Network => _prefix;

    /// <summary>Where the gateway container answers on this machine.</summary>
    public Uri Gateway { get; private set; } = null!;

    public string ContainerOf(string host) => $"{_prefix}-{host}";

    /// <summary>The network and the servers, the databases created: what the services need before they start.</summary>
    /// <param name="prefix">the network's name, and the start of every container's</param>
    /// <param name="labels">put on the network and every container (key=value)</param>
    public static async Task<ShopContainers> StartServersAsync(ContainerRuntime runtime, string prefix, IReadOnlyList<string> labels, ServerImages servers)
    {
        var shop = new ShopContainers(runtime, prefix, labels);
        await shop.CreateNetworkAsync();
        await shop.RunAsync("postgres", servers.Postgres, new() { ["POSTGRES_PASSWORD"] = shop._postgresPassword });
        await shop.RunAsync("redis", servers.Redis, [], command: ["redis-server", "--requirepass", shop._redisPassword]);
        await shop.RunAsync("rabbitmq", servers.RabbitMq, new()
        {
            ["RABBITMQ_DEFAULT_USER"] = "msashop",
            ["RABBITMQ_DEFAULT_PASS"] = shop._rabbitMqPassword,
        });
        await shop.CreateDatabasesAsync();
        return shop;
    }

    /// <summary>Pulls and runs the services, and waits until each is healthy.</summary>
    /// <param name="services">service name → image</param>
    public async Task StartServicesAsync(IReadOnlyDictionary<string, string> services, string signingKey)
    {
        foreach (var image in services.Values)
        {
            await _runtime.RunAsync(["pull", "-q", .. _runtime.PlainHttpPull, image]);
        }
        foreach (var wave in StartOrder)
        {
            foreach (var service in wave)
            {
                var environment = EnvironmentOf(service);
                environment["Identity__SigningKey"] = signingKey;
                await RunAsync(service, services[service], environment,
                    service == "gateway" ? [.. PodSecurity, "-p", $"127.0.0.1::{HttpPort}"] : PodSecurity);
            }
            await Task.WhenAll(wave.Select(WaitUntilHealthyAsync));
        }

        var published = await _runtime.RunAsync("port", ContainerOf("gateway"), $"{HttpPort}/tcp");
        Gateway = new Uri($"http://{published.Split('\n')[0].Trim()}");
    }

    /// <summary>What each service is told, and nothing else: connection strings, discovery keys, its version.</summary>
    private Dictionary<string, string> EnvironmentOf(string service)
    {
        var messaging = $"amqp://msashop:{_rabbitMqPassword}@rabbitmq:5672";
        var catalog = $"http://catalog:{HttpPort}";
        return service switch
        {
            "catalog" => new()
            {
                ["CATALOG_VERSION"] = "stable",
                ["ConnectionStrings__catalogdb"] = Database("catalogdb"),
                ["ConnectionStrings__cache"] = $"redis:6379,password={_redisPassword}",
                ["ConnectionStrings__messaging"] = messaging,
            },
            "ordering" => new()
            {
                ["ConnectionStrings__orderingdb"] = Database("orderingdb"),
                ["ConnectionStrings__messaging"] = messaging,
                ["services__catalog__http__0"] = catalog,
            },
            "payment" => new()
            {
                ["ConnectionStrings__paymentdb"] = Database("paymentdb"),
                ["ConnectionStrings__messaging"] = messaging,
            },
            // No catalog-canary container: the canary weight is 0, as the AppHost's default.
            "gateway" => new()
            {
                ["services__catalog__http__0"] = catalog,
                ["services__ordering__http__0"] = $"http://ordering:{HttpPort}",
            },
            _ => throw new ArgumentOutOfRangeException(nameof(service), service, "not an MsaShop service"),
        };
    }

    private string Database(string name) => $"Host=postgres;Port=5432;Username=postgres;Password={_postgresPassword};Database={name}";

    private async Task CreateNetworkAsync()
    {
        await _runtime.RunAsync(["network", "create", .. LabelArguments(), Network]);
        var network = JsonDocument.Parse(await _runtime.RunAsync("network", "inspect", Network)).RootElement[0];
        // podman: subnets[].subnet; Docker: IPAM.Config[].Subnet.
        var subnet = network.TryGetProperty("subnets", out var subnets)
            ? subnets[0].GetProperty("subnet").GetString()!
            : network.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Subnet").GetString()!;
        var (address, length) = (subnet.Split('/')[0], int.Parse(subnet.Split('/')[1], CultureInfo.InvariantCulture));
        if (length > 24 || IPAddress.Parse(address).AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new InvalidOperationException($"network {Network} has subnet {subnet}; an IPv4 /24 or wider is expected");
        }
        _subnetPrefix = address[..(address.LastIndexOf('.') + 1)];
    }

    private async Task RunAsync(string host, string image, Dictionary<string, string> environment,
        IReadOnlyList<string>? options = null, IReadOnlyList<string>? command = null)
    {
        List<string> arguments = ["run", "-d", "--name", ContainerOf(host), "--network", Network, "--ip", _subnetPrefix + Hosts[host], .. LabelArguments()];
        foreach (var (name, octet) in Hosts)
        {
            arguments.AddRange(["--add-host", $"{name}:{_subnetPrefix}{octet}"]);
        }
        foreach (var (name, value) in environment)
        {
            arguments.AddRange(["-e", $"{name}={value}"]);
        }
        await _runtime.RunAsync([.. arguments, .. options ?? [], image, .. command ?? []]);
    }

    /// <summary>The three databases, as the AppHost's AddDatabase or the dev overlay's init script makes them.</summary>
    private async Task CreateDatabasesAsync()
    {
        var postgres = ContainerOf("postgres");
        await WaitAsync("postgres", "PostgreSQL to accept connections", () => _runtime.SucceedsAsync("exec", postgres, "pg_isready", "-q", "-h", "127.0.0.1"));
        await _runtime.RunAsync("exec", "-e", $"PGPASSWORD={_postgresPassword}", postgres, "psql", "-q", "-h", "127.0.0.1", "-U", "postgres",
            "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE catalogdb", "-c", "CREATE DATABASE orderingdb", "-c", "CREATE DATABASE paymentdb");
    }

    /// <summary>Ready as Kubernetes' readiness probe sees it: GET /health answers 200 inside the container.</summary>
    private Task WaitUntilHealthyAsync(string service) =>
        WaitAsync(service, $"{service} to answer /health with 200", async () =>
        {
            // bash's /dev/tcp: the .NET base images carry no HTTP client.
            const string Probe = "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3";
            var result = await Manifests.ProcessRunner.RunAsync(_runtime.Name, ["exec", ContainerOf(service), "bash", "-c", Probe], RepositoryRoot.Path);
            return result.ExitCode == 0 && result.Output.StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        });

    private async Task WaitAsync(string host, string what, Func<Task<bool>> ready)
    {
        try
        {
            await Eventually.TrueAsync(ready, what, StartTimeout);
        }
        catch (TimeoutException timeout)
        {
            var logs = await Manifests.ProcessRunner.RunAsync(_runtime.Name, ["logs", "--tail", "40", ContainerOf(host)], RepositoryRoot.Path);
            throw new TimeoutException($"{timeout.Message}\n{ContainerOf(host)}'s last lines:\n{logs.Output}{logs.Error}", timeout);
        }
    }

    private IEnumerable<string> LabelArguments() => _labels.SelectMany(label => new[] { "--label", label });

    private static string Secret() => Guid.NewGuid().ToString("N");
}
