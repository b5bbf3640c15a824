using MsaShop.Client;
using MsaShop.LoadGeneration;
using MsaShop.LocalInfrastructure;
using MsaShop.Testing;

[assembly: AssemblyFixture(typeof(MsaShop.LoadGeneration.Tests.DeployedShopFixture))]

namespace MsaShop.LoadGeneration.Tests;

/// <summary>
/// The shop as deployed, once per test assembly: real PostgreSQL, Redis and RabbitMQ, the services as processes
/// in Production (one catalog replica), a signing key of the run's own, the gateway's rate limit raised for load.
/// </summary>
public sealed class DeployedShopFixture : IAsyncLifetime
{
    private LocalInfrastructure.LocalInfrastructure? _infrastructure;
    private LocalShop? _shop;
    private HttpClient? _gateway;
    private HttpClient? _payment;

    public LocalShop Shop => _shop ?? throw new InvalidOperationException("the fixture has not started");

    public ShopTokens Tokens { get; } = ShopTokens.WithSigningKey(SigningKeys.NewRandom());

    /// <summary>The shop's public API, through the gateway.</summary>
    public ShopAccess Client => new(_gateway!, Tokens);

    public PaymentLedger Payments => new(_payment!, Tokens);

    public async ValueTask InitializeAsync()
    {
        _infrastructure = await LocalInfrastructure.LocalInfrastructure.StartAsync();
        _shop = await LocalShop.StartAsync(_infrastructure, new LocalShopOptions
        {
            RepositoryRoot = RepositoryRoot.Path,
            SigningKey = Tokens.SigningKey!,
            CatalogReplicas = 1,
            Settings = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["gateway"] = new Dictionary<string, string> { ["Gateway__RateLimit__PermitLimit"] = "1000000" },
            },
        });
        _gateway = ShopClient.CreateHttpClient(_shop.Gateway, TimeSpan.FromSeconds(30));
        _payment = ShopClient.CreateHttpClient(_shop.Addresses["payment"], TimeSpan.FromSeconds(30));
    }

    /// <summary>A product of the test's own, with <paramref name="stock"/> units: no other test orders it.</summary>
    public async Task<int> CreateProductAsync(int stock, decimal price = 12.50m)
    {
        var created = await Client.Api.CreateItemAsync(
            new($"Load test product {Guid.NewGuid():N}", "Ordered by a load generation test.", price, stock), Tokens.Admin, TestContext.Current.CancellationToken);
        return created.Value.Id;
    }

    public async ValueTask DisposeAsync()
    {
        _gateway?.Dispose();
        _payment?.Dispose();
        if (_shop is not null)
        {
            await _shop.DisposeAsync();
        }
        if (_infrastructure is not null)
        {
            await _infrastructure.DisposeAsync();
        }
    }
}
