namespace MsaShop.LocalInfrastructure;

/// <summary>How <see cref="LocalShop"/> runs the services: which build, which environment, what else each is told.</summary>
public sealed record LocalShopOptions
{
    /// <summary>The checkout holding MsaShop.sln; the services run from their build output there.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>The deployment's token signing key (Identity__SigningKey), as a secret store would give it.</summary>
    public required string SigningKey { get; init; }

    public string Configuration { get; init; } = "Release";

    /// <summary>
    /// A folder holding each service's published output in a folder named after its project (MsaShop.Catalog, …), as
    /// <c>bench/run.sh</c> publishes them (ReadyToRun, as the images are); null runs each from its build output.
    /// </summary>
    public string? PublishedServices { get; init; }

    /// <summary>ASPNETCORE_ENVIRONMENT of every service: Production, as deployed.</summary>
    public string Environment { get; init; } = "Production";

    public int CatalogReplicas { get; init; } = 2;

    /// <summary>Ordering's instances (ordering-0, …): two, as deployed, so the saga runs with competing consumers.</summary>
    public int OrderingReplicas { get; init; } = 2;

    /// <summary>Run catalog-canary too; without it the gateway's canary cluster names the first replica (at weight 0 it gets no traffic either way).</summary>
    public bool CatalogCanary { get; init; }

    /// <summary>Environment variables for every service.</summary>
    public IReadOnlyDictionary<string, string> CommonSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Environment variables by service: catalog, catalog-canary, ordering, payment, gateway.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Settings { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();
}
