using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Ordering.Tests;

/// <summary>The payment service runs as a real process here, so it can be SIGKILLed in the middle of the saga.</summary>
public sealed class PaymentCrashTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Every_order_finishes_paid_once_when_the_payment_process_is_killed_mid_flight_and_restarted()
    {
        await using var shop = await Shop.StartAsync(infrastructure, new ShopOptions { WithPayment = false });
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__paymentdb"] = shop.PaymentDatabase,
            ["ConnectionStrings__messaging"] = shop.Messaging,
            ["Payment__Provider__Latency"] = "00:00:06",
        };
        var product = await shop.CreateProductAsync(price: 7m, stock: 50);
        using var customer = shop.Customer("victor");
        List<Guid> orders;

        using (var doomed = PaymentProcess.Start(environment))
        {
            await infrastructure.WaitForConsumerAsync(shop.Messaging, "payment");
            orders = [];
            for (var i = 0; i < 4; i++)
            {
                orders.Add(await customer.PlaceAcceptedOrderAsync(product, 2));
            }

            await Eventually.TrueAsync(
                async () => await Database.CountAsync(shop.PaymentDatabase, "SELECT count(*) FROM simulated_provider_charges") > 0,
                "the provider to charge a card");
            doomed.Kill();
        }

        environment["Payment__Provider__Latency"] = "00:00:00.100";
        using var restarted = PaymentProcess.Start(environment);
        var finished = await Task.WhenAll(orders.Select(id => customer.WaitUntilFinishedAsync(id, TimeSpan.FromMinutes(2))));

        Assert.All(finished, order => Assert.Equal("Completed", order.Status));
        foreach (var orderId in orders)
        {
            Assert.Equal(1, await Database.ProviderChargesAsync(shop.PaymentDatabase, orderId));
        }

        Assert.Equal(50 - 8, await shop.AvailableStockAsync(product));
    }
}
