using System.Globalization;
using System.Text.Json;
using MsaShop.Deployment.Tests.AzureContainerApps;
using MsaShop.Deployment.Tests.Manifests;
using MsaShop.Messaging;

namespace MsaShop.Deployment.Tests;

/// <summary>
/// Every replica's connection pool, at the most replicas its autoscaler may run, fits the PostgreSQL server's
/// connection limit with room for migrations and an operator; and each pool covers what its consumers may hold.
/// A pool's size is Postgres:MaxPoolSize as the deployed service reads it (its environment, else its appsettings.json,
/// else Npgsql's default of 100).
/// </summary>
public sealed class ConnectionBudgetTests
{
    private const int NpgsqlDefaultPoolSize = 100;
    // The migrations (one connection each, under an advisory lock), an operator's psql and a monitoring agent.
    private const int Headroom = 10;
    // Four background jobs (outbox relay or sweep, retention, reconciliation or the timeout sweep) may each hold one.
    // A consumer holds one connection at a time and none while it waits on another service (InboxConsumer, payment's
    // two steps), so consumers beyond what is left wait their turn for a pooled connection and never deadlock.
    private const int BackgroundJobs = 4;
    private const int ConnectionsLeftForConsumers = 4;

    // Azure Database for PostgreSQL flexible server, max_connections per compute size, and the 15 it keeps for itself
    // (learn.microsoft.com, "Limits in Azure Database for PostgreSQL flexible server").
    private static readonly Dictionary<string, int> AzureMaxConnections = new()
    {
        ["Standard_B1ms"] = 50, ["Standard_B2s"] = 429, ["Standard_B2ms"] = 859, ["Standard_D2ds_v5"] = 859, ["Standard_D4ds_v5"] = 1718,
    };
    private const int AzureReservedConnections = 15;

    [Fact]
    public async Task On_Kubernetes_the_pools_of_every_replica_fit_the_dev_servers_max_connections()
    {
        var manifests = await Overlay.RenderAsync(Overlay.Dev);
        var postgres = manifests.Workload("postgres").MainContainer;
        var maxConnections = ServerSetting(postgres["args"]?.AsArray().Select(a => (string)a!) ?? [], "max_connections") ?? 100;

        var demand = manifests.Services.Where(UsesPostgres).Select(service =>
            (service.Name, Replicas: MaxReplicas(manifests, service), Pool: PoolSize(service.Name, service.EnvironmentValue))).ToList();

        AssertFits(demand, maxConnections, "the dev overlay's PostgreSQL");
    }

    [Fact]
    public async Task On_Container_Apps_the_pools_of_every_replica_fit_the_Azure_servers_connections()
    {
        var infra = await Infrastructure.CompileAsync();
        var sku = (string)infra.ResourceOf("postgres", "Microsoft.DBforPostgreSQL/flexibleServers")["sku"]!["name"]!;
        Assert.True(AzureMaxConnections.TryGetValue(sku, out var maxConnections), $"the connection limit of {sku} is not known here");

        var demand = ContainerApp.All().Values.Where(app => app.Environment.Keys.Any(IsDatabaseConnection)).Select(app =>
            (app.Name, Replicas: (int)app.Scale["maxReplicas"]!,
                Pool: PoolSize(app.Name, name => (string?)app.Environment.GetValueOrDefault(name)?["value"]))).ToList();

        AssertFits(demand, maxConnections - AzureReservedConnections, $"Azure's {sku}");
    }

    [Fact]
    public async Task Each_pool_leaves_room_for_consumers_beside_the_background_jobs()
    {
        var manifests = await Overlay.RenderAsync(Overlay.Dev);
        var settings = manifests.Services.Where(UsesPostgres).Select(s => (s.Name, Read: (Func<string, string?>)s.EnvironmentValue))
            .Concat(ContainerApp.All().Values.Where(app => app.Environment.Keys.Any(IsDatabaseConnection))
                .Select(app =>
                    (app.Name, Read: (Func<string, string?>)(name => (string?)app.Environment.GetValueOrDefault(name)?["value"]))));

        Assert.All(settings, service =>
        {
            var limit = service.Read($"{MessagingOptions.SectionName}__{nameof(MessagingOptions.ConcurrentMessageLimit)}");
            Assert.True(limit is not null,
                $"{service.Name}: consumer concurrency is uncapped, so its consumers may want more connections than its pool");
            var pool = PoolSize(service.Name, service.Read);
            Assert.True(pool >= BackgroundJobs + ConnectionsLeftForConsumers,
                $"{service.Name}: a pool of {pool} leaves fewer than {ConnectionsLeftForConsumers} connections for consumers beside " +
                    $"{BackgroundJobs} background jobs");
        });
    }

    private static void AssertFits(List<(string Name, int Replicas, int Pool)> demand, int limit, string server)
    {
        Assert.NotEmpty(demand);
        var total = demand.Sum(d => d.Replicas * d.Pool) + Headroom;
        Assert.True(total <= limit,
            $"{string.Join(" + ", demand.Select(d => $"{d.Name} {d.Replicas} x {d.Pool}"))} + {Headroom} = {total} connections; {server} " +
                $"takes {limit}");
    }

    private static bool IsDatabaseConnection(string variable) =>
        variable.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && variable.EndsWith("db", StringComparison.Ordinal);

    private static bool UsesPostgres(Workload service) => service.Environment.Keys.Any(IsDatabaseConnection);

    /// <summary>The most replicas a Deployment may run: its HPA's or ScaledObject's maximum, else its own count.</summary>
    private static int MaxReplicas(RenderedManifests manifests, Workload deployment) =>
        manifests.OfKind("HorizontalPodAutoscaler").Where(h => (string?)h["spec"]!["scaleTargetRef"]!["name"] == deployment.Name)
            .Select(h => (int)h["spec"]!["maxReplicas"]!)
            .Concat(manifests.OfKind("ScaledObject").Where(s => (string?)s["spec"]!["scaleTargetRef"]!["name"] == deployment.Name)
                .Select(s => (int)s["spec"]!["maxReplicaCount"]!))
            .DefaultIfEmpty((int?)deployment.Spec["replicas"] ?? 1).Max();

    /// <summary>Postgres:MaxPoolSize as the service reads it: its environment, else its appsettings.json, else Npgsql's default.</summary>
    private static int PoolSize(string deployed, Func<string, string?> environment)
    {
        var value = environment("Postgres__MaxPoolSize");
        if (value is null)
        {
            var project = deployed.StartsWith("catalog", StringComparison.Ordinal)
                ? "Catalog"
                : char.ToUpperInvariant(deployed[0]) + deployed[1..];
            var settings = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("services", project, "appsettings.json")),
                documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            value = settings?["Postgres"]?["MaxPoolSize"]?.ToString();
        }

        return value is null ? NpgsqlDefaultPoolSize : int.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>A "-c name=value" setting on the server's command line.</summary>
    private static int? ServerSetting(IEnumerable<string> arguments, string name) =>
        arguments.Where(a => a.StartsWith($"{name}=", StringComparison.Ordinal))
            .Select(a => (int?)int.Parse(a[(name.Length + 1)..], CultureInfo.InvariantCulture)).LastOrDefault();
}
