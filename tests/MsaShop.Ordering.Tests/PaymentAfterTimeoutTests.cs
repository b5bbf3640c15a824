using MsaShop.Contracts;
using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Ordering.Tests;

/// <summary>The race the order timeout opens with payment: a charge requested before the deadline, made after it.</summary>
public sealed class PaymentAfterTimeoutTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task An_order_that_timed_out_while_payment_was_down_is_never_charged()
    {
        await using var shop = await Shop.StartAsync(infrastructure, new ShopOptions
        {
            OrderingSettings = new Dictionary<string, string?>
            {
                ["Ordering:OrderTimeout"] = "00:00:03",
                ["Ordering:TimeoutSweepInterval"] = "00:00:00.500",
            },
        });
        var product = await shop.CreateProductAsync(price: 12m, stock: 6);
        using var customer = shop.Customer("olga");

        await shop.StopPaymentAsync();
        var orderId = await customer.PlaceAcceptedOrderAsync(product, 5);
        await shop.Bus.WaitForAsync<PaymentRequested>(e => e.OrderId == orderId, "PaymentRequested");
        var timedOut = await customer.WaitUntilFinishedAsync(orderId);
        Assert.Equal(("Cancelled", CancellationReasons.TimedOut), (timedOut.Status, timedOut.FailureReason));
        await Eventually.TrueAsync(async () => await shop.AvailableStockAsync(product) == 6, "the stock to be released");
        Assert.Equal(1, await infrastructure.MessagesAsync(shop.Messaging, "payment"));

        // Payment catches up with a request past its deadline: it does not charge the card at all.
        await shop.StartPaymentAsync();
        await Eventually.TrueAsync(
            async () => await Database.CountAsync(shop.PaymentDatabase, "SELECT count(*) FROM payments WHERE order_id = @orderId AND status = 'Expired'", new { orderId }) == 1,
            "the payment to expire");
        await infrastructure.WaitUntilDrainedAsync(shop.Messaging, "payment");

        Assert.Equal(0, await Database.ProviderChargesAsync(shop.PaymentDatabase, orderId));
        Assert.DoesNotContain(shop.Bus.Received<PaymentSucceeded>(), e => e.OrderId == orderId);
        var order = await customer.GetOrderAsync(orderId);
        Assert.Equal(("Cancelled", CancellationReasons.TimedOut), (order.Status, order.FailureReason));
        Assert.Equal(0, await Database.OutboxCountAsync(shop.OrderingDatabase, nameof(PaymentRefundRequested), orderId));
    }

    [Fact]
    public async Task An_order_charged_after_it_timed_out_stays_cancelled_and_is_refunded_once()
    {
        await using var shop = await Shop.StartAsync(infrastructure, new ShopOptions
        {
            OrderingSettings = new Dictionary<string, string?>
            {
                ["Ordering:OrderTimeout"] = "00:00:05",
                ["Ordering:TimeoutSweepInterval"] = "00:00:00.500",
            },
            // The charge starts well before the deadline and ends well after it.
            PaymentSettings = new Dictionary<string, string?> { ["Payment:Provider:Latency"] = "00:00:12" },
        });
        var product = await shop.CreateProductAsync(price: 12m, stock: 6);
        using var customer = shop.Customer("olga");

        var orderId = await customer.PlaceAcceptedOrderAsync(product, 5);
        var timedOut = await customer.WaitUntilFinishedAsync(orderId);
        Assert.Equal(("Cancelled", CancellationReasons.TimedOut), (timedOut.Status, timedOut.FailureReason));

        // The charge lands after the order gave up: ordering's answer is a refund.
        var refunded = await shop.Bus.WaitForAsync<PaymentRefunded>(e => e.OrderId == orderId, "PaymentRefunded");
        await Eventually.TrueAsync(
            async () => await Database.CountAsync(shop.OrderingDatabase, "SELECT count(*) FROM orders WHERE id = @orderId AND refunded_at IS NOT NULL", new { orderId }) == 1,
            "ordering to record the refund");
        await infrastructure.WaitUntilDrainedAsync(shop.Messaging, "payment");
        await infrastructure.WaitUntilDrainedAsync(shop.Messaging, "ordering");

        var order = await customer.GetOrderAsync(orderId);
        Assert.Equal(("Cancelled", CancellationReasons.TimedOut), (order.Status, order.FailureReason));
        Assert.Equal(60m, refunded.Amount);
        Assert.Equal(6, await shop.AvailableStockAsync(product));
        Assert.Equal(1, await Database.ProviderChargesAsync(shop.PaymentDatabase, orderId));
        Assert.Equal(1, await Database.ProviderRefundsAsync(shop.PaymentDatabase, orderId));
        Assert.Equal(1, await Database.CountAsync(shop.PaymentDatabase,
            "SELECT count(*) FROM payments WHERE order_id = @orderId AND status = 'Refunded'", new { orderId }));
        Assert.Equal(1, await Database.OutboxCountAsync(shop.PaymentDatabase, nameof(PaymentRefunded), orderId));
        Assert.Equal(0, await Database.OutboxCountAsync(shop.OrderingDatabase, nameof(OrderCompleted), orderId));
    }
}
