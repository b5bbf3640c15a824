using MsaShop.Harness;

namespace MsaShop.Benchmarks;

/// <summary>
/// How the benchmarks run the <see cref="DeployedShop"/>: on durable PostgreSQL (PostgreSQL's default commit settings), the
/// services as <c>eng/bench.sh</c> published them, the gateway's per-client rate limit out of reach.
/// </summary>
internal static class BenchmarkedShop
{
    /// <summary>Where <c>eng/bench.sh</c> put the services' published output; unset, they run from their build output.</summary>
    public const string PublishedServicesVariable = "MSASHOP_PUBLISHED_SERVICES";

    public static Task<DeployedShop> StartAsync(string repositoryRoot, CancellationToken cancellationToken) =>
        DeployedShop.StartAsync(new DeployedShopOptions
        {
            RepositoryRoot = repositoryRoot,
            PublishedServices = Environment.GetEnvironmentVariable(PublishedServicesVariable),
            DurablePostgres = true,
            Settings = DeployedShopOptions.LoadFromOneClient,
        }, cancellationToken);
}
