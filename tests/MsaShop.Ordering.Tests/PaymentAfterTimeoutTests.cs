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
                // Payment is not there to answer: the order is cancelled at its payment deadline.
                ["Ordering:PaymentReplyWindow"] = "00:00:00",
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
            async () =>
                await Database.CountAsync(shop.PaymentDatabase,
                "SELECT count(*) FROM payments WHERE order_id = @orderId AND status = 'Expired'", new { orderId }) == 1,
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
                // No reply window: the answer of the charge that outlasts the deadline comes after the order gave up.
                ["Ordering:PaymentReplyWindow"] = "00:00:00",
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
            async () =>
                await Database.CountAsync(shop.OrderingDatabase,
                "SELECT count(*) FROM orders WHERE id = @orderId AND refunded_at IS NOT NULL", new { orderId }) == 1,
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

    [Fact]
    public async Task An_order_paid_before_its_deadline_completes_after_an_ordering_database_outage_that_outlasts_the_deadline()
    {
        await using var shop = await Shop.StartAsync(infrastructure, new ShopOptions
        {
            OrderingSettings = new Dictionary<string, string?>
            {
                ["Ordering:OrderTimeout"] = "00:00:05",
                ["Ordering:TimeoutSweepInterval"] = "00:00:00.500",
                // PaymentSucceeded comes back 2, 6 and 14 s after its first failure; the reply window is the default,
                // ordering's Messaging:RedeliveryWindow: 2 + 4 + 8 s of redelivery and 4 × 1 retry at 2 s = 22 s.
                ["Messaging:RetryLimit"] = "1",
                ["Messaging:RetryMinInterval"] = "00:00:00.050",
                ["Messaging:RetryMaxInterval"] = "00:00:02",
                ["Messaging:RetryIntervalDelta"] = "00:00:00.050",
                ["Messaging:RedeliveryLimit"] = "3",
                ["Messaging:RedeliveryMinInterval"] = "00:00:02",
                ["Messaging:RedeliveryMaxInterval"] = "00:00:08",
            },
            // Long enough to cut ordering's database off before payment answers, short enough to answer before the deadline.
            PaymentSettings = new Dictionary<string, string?> { ["Payment:Provider:Latency"] = "00:00:02" },
        });
        var product = await shop.CreateProductAsync(price: 7m, stock: 10);
        using var customer = shop.Customer("selma");
        var orderId = await customer.PlaceAcceptedOrderAsync(product, 2);
        await shop.Bus.WaitForAsync<PaymentRequested>(e => e.OrderId == orderId, "PaymentRequested");

        await using (await infrastructure.TakeDatabaseOfflineAsync(shop.OrderingDatabase))
        {
            await shop.Bus.WaitForAsync<PaymentSucceeded>(e => e.OrderId == orderId, "the charge");
            // Parked for its third redelivery: the first two failed, and the deadline (5 s) has passed.
            await Eventually.TrueAsync(async () => await infrastructure.MessagesAsync(shop.Messaging, "ordering_redelivery_8s") == 1,
                "PaymentSucceeded to wait for its third redelivery");
        }

        var order = await customer.WaitUntilFinishedAsync(orderId);
        Assert.Equal("Completed", order.Status);
        Assert.Equal(1, await Database.ProviderChargesAsync(shop.PaymentDatabase, orderId));
        Assert.Equal(0, await Database.OutboxCountAsync(shop.OrderingDatabase, nameof(PaymentRefundRequested), orderId));
    }
}
