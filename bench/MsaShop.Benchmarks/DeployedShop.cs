using MsaShop.LoadGeneration;
using MsaShop.LocalInfrastructure;

namespace MsaShop.Benchmarks;

/// <summary>
/// The shop as the benchmarks measure it: as deployed (its services as processes in Production, no DCP proxies)
/// on real PostgreSQL (durable: PostgreSQL's default commit settings), Redis and RabbitMQ, two catalog replicas, a signing key of the run's own, and the gateway's
/// per-client rate limit raised (one load generator is one client).
/// </summary>
public sealed class DeployedShop : IAsyncDisposable
{
    private DeployedShop(LocalInfrastructure.LocalInfrastructure infrastructure, LocalShop shop, ShopTokens tokens)
    {
        Infrastructure = infrastructure;
        Shop = shop;
        Tokens = tokens;
    }

    public LocalInfrastructure.LocalInfrastructure Infrastructure { get; }

    public LocalShop Shop { get; }

    public ShopTokens Tokens { get; }

    /// <summary>Where <c>bench/run.sh</c> put the services' published output; unset, they run from their build output.</summary>
    public const string PublishedServicesVariable = "MSASHOP_PUBLISHED_SERVICES";

    public static async Task<DeployedShop> StartAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var tokens = ShopTokens.WithSigningKey(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)));
        var infrastructure = await LocalInfrastructure.LocalInfrastructure.StartAsync(
            new LocalInfrastructureOptions { DurablePostgres = true }, cancellationToken);
        try
        {
            var shop = await LocalShop.StartAsync(infrastructure, new LocalShopOptions
            {
                RepositoryRoot = repositoryRoot,
                // bench/run.sh publishes the services as the images hold them (ReadyToRun) and says where.
                PublishedServices = Environment.GetEnvironmentVariable(PublishedServicesVariable),
                SigningKey = tokens.SigningKey!,
                Settings = new Dictionary<string, IReadOnlyDictionary<string, string>>
                {
                    ["gateway"] = new Dictionary<string, string> { ["Gateway__RateLimit__PermitLimit"] = "100000000" },
                },
            }, cancellationToken);
            return new DeployedShop(infrastructure, shop, tokens);
        }
        catch
        {
            await infrastructure.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Shop.DisposeAsync();
        await Infrastructure.DisposeAsync();
    }
}
