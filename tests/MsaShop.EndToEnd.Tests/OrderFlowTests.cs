using System.Diagnostics;
using MsaShop.Contracts;
using MsaShop.EndToEnd.Tests.Infrastructure;

namespace MsaShop.EndToEnd.Tests;

/// <summary>The order saga across real processes: gateway → ordering → catalog, payment over RabbitMQ.</summary>
public sealed class OrderFlowTests(ShopFixture fixture)
{
    private const int Stock = 100;

    [Fact]
    public async Task A_paid_order_reaches_Completed_and_takes_its_stock()
    {
        var product = await fixture.Api.CreateProductAsync(price: 12.50m, Stock);
        var customer = Shoppers.NewCustomer();
        var token = Shoppers.CustomerToken(customer);

        var orderId = await fixture.Api.PlaceOrderAsync(token, product.Id, quantity: 2, paymentToken: "tok_visa");
        var order = await fixture.Api.WaitForOutcomeAsync(token, orderId);

        Assert.Equal("Completed", order.Status);
        Assert.Equal(customer, order.CustomerId);
        Assert.Equal(25.00m, order.Total);
        var line = Assert.Single(order.Items);
        Assert.Equal((product.Id, product.Name, 12.50m, 2), (line.ProductId, line.ProductName, line.UnitPrice, line.Quantity));
        await WaitForStockAsync(product, Stock - 2);
    }

    [Fact]
    public async Task A_declined_payment_ends_Cancelled_and_releases_the_stock()
    {
        var product = await fixture.Api.CreateProductAsync(price: 40m, Stock);
        var token = Shoppers.CustomerToken(Shoppers.NewCustomer());

        var orderId = await fixture.Api.PlaceOrderAsync(token, product.Id, quantity: 3, paymentToken: "tok_decline");
        var order = await fixture.Api.WaitForOutcomeAsync(token, orderId);

        Assert.Equal("Cancelled", order.Status);
        Assert.Equal("PaymentDeclined", order.FailureReason);
        await WaitForStockAsync(product, Stock);
    }

    [Fact]
    public async Task An_order_for_more_than_the_stock_ends_Cancelled_and_takes_nothing()
    {
        var product = await fixture.Api.CreateProductAsync(price: 9m, stock: 1);
        var token = Shoppers.CustomerToken(Shoppers.NewCustomer());

        var orderId = await fixture.Api.PlaceOrderAsync(token, product.Id, quantity: 2, paymentToken: "tok_visa");
        var order = await fixture.Api.WaitForOutcomeAsync(token, orderId);

        Assert.Equal("Cancelled", order.Status);
        Assert.Equal("OutOfStock", order.FailureReason);
        await WaitForStockAsync(product, 1);
    }

    /// <summary>
    /// Stock moves asynchronously (saga events): poll, bounded. Through the search, which reads
    /// PostgreSQL, not the cached item (docs/cache-aside.md names the window a cached read can have).
    /// </summary>
    private async Task WaitForStockAsync(CatalogItem product, int expected)
    {
        var watch = Stopwatch.StartNew();
        CatalogItem? item = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            var found = await fixture.Api.GetItemsAsync(search: product.Name, cancellationToken: TestContext.Current.CancellationToken);
            item = found.Items.Single(i => i.Id == product.Id);
            if (item.AvailableStock == expected)
            {
                return;
            }
            await Task.Delay(Shoppers.PollInterval);
        }
        Assert.Fail($"product {product.Id}: available stock stayed {item?.AvailableStock}, expected {expected}");
    }
}
