using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Ordering.Tests;

/// <summary>The whole saga, shared by the tests of one class: catalog, ordering and payment on one virtual host.</summary>
public sealed class ShopFixture(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    public Shop Shop { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Shop = await Shop.StartAsync(infrastructure);

    public ValueTask DisposeAsync() => Shop.DisposeAsync();
}
