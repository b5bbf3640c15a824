using System.Globalization;

namespace MsaShop.LocalInfrastructure;

/// <summary>
/// The shop's processes and the configuration each one gets: the same keys the AppHost injects
/// (<c>ConnectionStrings__&lt;name&gt;</c>, <c>services__&lt;name&gt;__http__&lt;index&gt;</c>, OTEL_*), so a
/// service cannot tell the local run from Aspire. Payment's address is given to no one: nothing calls it over HTTP.
/// </summary>
internal static class ShopTopology
{
    public const int CatalogReplicas = 2;

    private sealed record Project(string Folder, string Assembly);

    private static readonly Project Catalog = new("services/Catalog", "MsaShop.Catalog");
    private static readonly Project Ordering = new("services/Ordering", "MsaShop.Ordering");
    private static readonly Project Payment = new("services/Payment", "MsaShop.Payment");
    private static readonly Project Gateway = new("gateway", "MsaShop.Gateway");

    public static List<ServiceInstance> Create(LocalInfrastructure infrastructure, LocalShopOptions options,
        string directory, string gatewayConfigFile, ProcessRegistry registry)
    {
        var root = options.RepositoryRoot ?? RepositoryLayout.FindRoot();
        var configuration = options.Configuration ?? RepositoryLayout.CallerConfiguration();
        var connectionStrings = infrastructure.ConnectionStrings;
        var ports = new DistinctPorts();
        var catalogPorts = Enumerable.Range(0, CatalogReplicas).Select(_ => ports.Next()).ToList();
        var canaryPort = ports.Next();
        var orderingPort = ports.Next();
        var paymentPort = ports.Next();
        var gatewayPort = options.GatewayPort > 0 ? ports.Take(options.GatewayPort) : ports.Next();

        var catalogEndpoints = Endpoints("catalog", catalogPorts);
        var instances = new List<ServiceInstance>();

        void Add(string name, string service, Project project, int port, Dictionary<string, string> environment)
        {
            environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            environment["OTEL_SERVICE_NAME"] = service;
            environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={name}";
            if (options.OtlpEndpoint is { } otlp)
            {
                environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.ToString().TrimEnd('/');
            }
            foreach (var (key, value) in options.Environment)
            {
                environment[key] = value;
            }
            instances.Add(new ServiceInstance(name, service, RepositoryLayout.BuildOutput(root, project.Folder, project.Assembly, configuration),
                port, environment, Path.Combine(directory, name + ".log"), registry));
        }

        Dictionary<string, string> CatalogEnvironment(string version) => new()
        {
            ["ConnectionStrings__catalogdb"] = connectionStrings[ResourceNames.CatalogDb],
            ["ConnectionStrings__cache"] = connectionStrings[ResourceNames.Cache],
            ["ConnectionStrings__messaging"] = connectionStrings[ResourceNames.Messaging],
            ["CATALOG_VERSION"] = version,
        };

        for (var replica = 0; replica < CatalogReplicas; replica++)
        {
            Add($"catalog-{replica}", "catalog", Catalog, catalogPorts[replica], CatalogEnvironment("stable"));
        }
        Add("catalog-canary", "catalog-canary", Catalog, canaryPort, CatalogEnvironment("canary"));
        Add("ordering", "ordering", Ordering, orderingPort, new(catalogEndpoints)
        {
            ["ConnectionStrings__orderingdb"] = connectionStrings[ResourceNames.OrderingDb],
            ["ConnectionStrings__messaging"] = connectionStrings[ResourceNames.Messaging],
        });
        Add("payment", "payment", Payment, paymentPort, new()
        {
            ["ConnectionStrings__paymentdb"] = connectionStrings[ResourceNames.PaymentDb],
            ["ConnectionStrings__messaging"] = connectionStrings[ResourceNames.Messaging],
        });
        var gateway = new Dictionary<string, string>(catalogEndpoints);
        foreach (var (key, value) in Endpoints("catalog-canary", [canaryPort]).Concat(Endpoints("ordering", [orderingPort])))
        {
            gateway[key] = value;
        }
        gateway["Gateway__Canary__Weight"] = options.CanaryWeight.ToString(CultureInfo.InvariantCulture);
        gateway["Gateway__ConfigFile"] = gatewayConfigFile;
        Add("gateway", "gateway", Gateway, gatewayPort, gateway);
        return instances;
    }

    /// <summary>Aspire's service discovery keys: services__&lt;name&gt;__http__&lt;index&gt;=http://127.0.0.1:port.</summary>
    private static Dictionary<string, string> Endpoints(string service, IReadOnlyList<int> ports) =>
        ports.Select((port, index) => KeyValuePair.Create(
                $"services__{service}__http__{index.ToString(CultureInfo.InvariantCulture)}",
                $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"))
            .ToDictionary();

    /// <summary>Free ports, never the same one twice in one shop.</summary>
    private sealed class DistinctPorts
    {
        private readonly HashSet<int> _taken = [];

        public int Next()
        {
            int port;
            do
            {
                port = FreePort.Next();
            }
            while (!_taken.Add(port));
            return port;
        }

        public int Take(int port) => _taken.Add(port) ? port : throw new InvalidOperationException($"port {port} is taken twice");
    }
}
