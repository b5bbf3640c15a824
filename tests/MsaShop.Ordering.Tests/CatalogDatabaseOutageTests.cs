using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Ordering.Tests;

/// <summary>Catalog's database down: catalog still serves prices from its cache, so orders keep being accepted.</summary>
public sealed class CatalogDatabaseOutageTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task An_order_is_priced_from_the_cache_while_the_catalog_database_is_down_and_completes_once_it_is_back()
    {
        await using var shop = await Shop.StartAsync(infrastructure);
        var product = await shop.CreateProductAsync(price: 12m, stock: 10);
        using var customer = shop.Customer("petra");
        // The first order prices the product (filling the price cache) and reserves stock, which removes the item's stock entry.
        var first = await customer.PlaceAcceptedOrderAsync(product, 1);
        Assert.Equal("Completed", (await customer.WaitUntilFinishedAsync(first)).Status);

        Guid second;
        await using (await DatabaseOutage.BeginAsync(infrastructure, shop.CatalogDatabase))
        {
            second = await customer.PlaceAcceptedOrderAsync(product, 2);
        }

        // The reservation waited for the database; the order completes at the price it was accepted at.
        var order = await customer.WaitUntilFinishedAsync(second, TimeSpan.FromMinutes(2));
        Assert.Equal(("Completed", 24m), (order.Status, order.Total));
        Assert.Equal(7, await shop.AvailableStockAsync(product));
    }
}
