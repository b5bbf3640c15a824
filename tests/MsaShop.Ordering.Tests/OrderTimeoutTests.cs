using MsaShop.Contracts;
using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Ordering.Tests;

/// <summary>No payment service at all: every order that reaches AwaitingPayment stalls there.</summary>
public sealed class OrderTimeoutTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task An_order_without_progress_is_cancelled_as_timed_out_and_its_stock_released()
    {
        await using var shop = await StartShopWithoutPaymentAsync();
        var product = await shop.CreateProductAsync(price: 20m, stock: 6);
        using var customer = shop.Customer("noah");

        var orderId = await customer.PlaceAcceptedOrderAsync(product, 5);
        await shop.Bus.WaitForAsync<PaymentRequested>(e => e.OrderId == orderId, "PaymentRequested");
        var order = await customer.WaitUntilFinishedAsync(orderId);

        Assert.Equal(("Cancelled", CancellationReasons.TimedOut), (order.Status, order.FailureReason));
        await shop.Bus.WaitForAsync<OrderCancelled>(e => e.OrderId == orderId && e.Reason == CancellationReasons.TimedOut,
            "OrderCancelled");
        await Eventually.TrueAsync(async () => await shop.AvailableStockAsync(product) == 6, "the stock to be released");
    }

    [Fact]
    public async Task An_order_that_cannot_be_updated_never_holds_up_the_timeout_of_the_others()
    {
        await using var shop = await StartShopWithoutPaymentAsync();
        var product = await shop.CreateProductAsync(price: 20m, stock: 10);
        using var customer = shop.Customer("nora");
        var first = await customer.PlaceAcceptedOrderAsync(product, 1);
        await shop.Bus.WaitForAsync<PaymentRequested>(e => e.OrderId == first, "PaymentRequested");
        // The oldest order, first in the sweep's order, can never be updated from now on.
        await PoisonedRow.PoisonAsync(shop.OrderingDatabase, "orders", "id", first);
        var others = new[] { await customer.PlaceAcceptedOrderAsync(product, 1), await customer.PlaceAcceptedOrderAsync(product, 1) };

        foreach (var orderId in others)
        {
            var order = await customer.WaitUntilFinishedAsync(orderId);
            Assert.Equal(("Cancelled", CancellationReasons.TimedOut), (order.Status, order.FailureReason));
        }
        Assert.Equal("AwaitingPayment", (await customer.GetOrderAsync(first)).Status);
        Assert.Contains(shop.Ordering.Logs.Entries, entry => entry.Message.Contains(first.ToString(), StringComparison.Ordinal));
    }

    // Orders stall in AwaitingPayment and time out after 3 s.
    private Task<Shop> StartShopWithoutPaymentAsync() => Shop.StartAsync(infrastructure, new ShopOptions
    {
        WithPayment = false,
        OrderingSettings = new Dictionary<string, string?>
        {
            ["Ordering:OrderTimeout"] = "00:00:03",
            // Payment is not there to answer: the order is cancelled at its payment deadline.
            ["Ordering:PaymentReplyWindow"] = "00:00:00",
            ["Ordering:TimeoutSweepInterval"] = "00:00:00.500",
        },
    });
}
