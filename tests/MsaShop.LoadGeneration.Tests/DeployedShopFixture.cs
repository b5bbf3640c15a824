using MsaShop.Client;
using MsaShop.LoadGeneration;
using MsaShop.Harness;
using MsaShop.Testing;

[assembly: AssemblyFixture(typeof(MsaShop.LoadGeneration.Tests.DeployedShopFixture))]

namespace MsaShop.LoadGeneration.Tests;

/// <summary>The <see cref="DeployedShop"/> once per test assembly, with one catalog replica, and clients to drive it.</summary>
public sealed class DeployedShopFixture : IAsyncLifetime
{
    private DeployedShop? _shop;
    private HttpClient? _gateway;
    private HttpClient? _payment;

    public DeployedShop Shop => _shop ?? throw new InvalidOperationException("the fixture has not started");

    public ShopTokens Tokens { get; private set; } = null!;

    /// <summary>The shop's public API, through the gateway.</summary>
    public ShopAccess Client => new(_gateway!, Tokens);

    public PaymentLedger Payments => new(_payment!, Tokens);

    public async ValueTask InitializeAsync()
    {
        _shop = await DeployedShop.StartAsync(new DeployedShopOptions
        {
            RepositoryRoot = RepositoryRoot.Path,
            Replicas = new Dictionary<string, int>(DeployedShopOptions.AppHostReplicas) { ["catalog"] = 1 },
            Settings = DeployedShopOptions.LoadFromOneClient,
        });
        Tokens = ShopTokens.WithSigningKey(_shop.SigningKey);
        _gateway = ShopClient.CreateHttpClient(_shop.Gateway, TimeSpan.FromSeconds(30));
        _payment = ShopClient.CreateHttpClient(_shop.Addresses["payment"], TimeSpan.FromSeconds(30));
    }

    /// <summary>A product of the test's own, with <paramref name="stock"/> units: no other test orders it.</summary>
    public async Task<int> CreateProductAsync(int stock, decimal price = 12.50m)
    {
        var created = await Client.Api.CreateItemAsync(
            new($"Load test product {Guid.NewGuid():N}", "Ordered by a load generation test.", price, stock), Tokens.Admin,
            TestContext.Current.CancellationToken);
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
    }
}
