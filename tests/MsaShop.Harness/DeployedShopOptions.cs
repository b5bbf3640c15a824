namespace MsaShop.Harness;

/// <summary>
/// How <see cref="DeployedShop"/> runs the shop: which build, how many instances, and what it changes of what the AppHost's
/// manifest tells each service, always by a name the manifest has.
/// </summary>
public sealed record DeployedShopOptions
{
    /// <summary>The checkout holding MsaShop.sln; the services and the AppHost run from their build output there.</summary>
    public required string RepositoryRoot { get; init; }

    public string Configuration { get; init; } = "Release";

    /// <summary>The manifest each service's environment comes from; null publishes (once per build) the AppHost's own.</summary>
    public AppHostManifest? Manifest { get; init; }

    /// <summary>
    /// A folder holding each service's published output in a folder named after its project (MsaShop.Catalog, …), as
    /// <c>eng/bench.sh</c> publishes them (ReadyToRun, as the images are); null runs each from its build output.
    /// </summary>
    public string? PublishedServices { get; init; }

    /// <summary>ASPNETCORE_ENVIRONMENT of every service: Production, as deployed (the manifest leaves it to the platform).</summary>
    public string Environment { get; init; } = "Production";

    /// <summary>PostgreSQL as deployed (every commit flushed) instead of the tests' fast settings.</summary>
    public bool DurablePostgres { get; init; }

    /// <summary>
    /// Instances of the replicated projects, named catalog-0, catalog-1, …: the AppHost's WithReplicas, which the manifest
    /// does not carry (ReplicaTests holds these defaults to the AppHost's model). Other projects run once, under their name.
    /// </summary>
    public IReadOnlyDictionary<string, int> Replicas { get; init; } = AppHostReplicas;

    /// <summary>The AppHost's replica counts.</summary>
    public static IReadOnlyDictionary<string, int> AppHostReplicas { get; } =
        new Dictionary<string, int> { ["catalog"] = 2, ["ordering"] = 2 };

    /// <summary>
    /// Run catalog-canary too; without it, what names catalog-canary gets the first catalog instance (at weight 0 it gets
    /// no traffic either way).
    /// </summary>
    public bool CatalogCanary { get; init; }

    /// <summary>
    /// Connection strings by the manifest's resource name, in place of the started server's (a fault proxy in front of a
    /// database), made once the servers are up; a name the manifest has no connection string for is an error.
    /// </summary>
    public Func<BackingServers, IReadOnlyDictionary<string, string>>? ConnectionStrings { get; init; }

    /// <summary>
    /// Settings the manifest does not carry, by project (catalog, ordering, payment, gateway, …): an appsettings value a
    /// run changes. A project the manifest does not run, or a variable the manifest sets already, is an error.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Settings { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>The gateway's per-client rate limit out of reach: one load generator is many customers from one address.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> LoadFromOneClient { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["gateway"] = new Dictionary<string, string> { ["Gateway__RateLimit__PermitLimit"] = "100000000" },
        };
}
