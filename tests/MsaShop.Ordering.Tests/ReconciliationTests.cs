using MsaShop.Contracts;
using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Ordering.Tests;

/// <summary>
/// A saga step that fell through: its message outlived every retry and sits in an error queue. The owning service's
/// reconciliation finds what it left behind and fixes it. Retries and redeliveries are off here, so a few seconds of
/// database outage is enough to send a message to the error queue.
/// </summary>
public sealed class ReconciliationTests(InfrastructureFixture infrastructure)
{
    private static readonly Dictionary<string, string?> NoRetries = new()
    {
        ["Messaging:RetryLimit"] = "0",
        ["Messaging:RedeliveryLimit"] = "0",
    };

    [Fact]
    public async Task A_reservation_whose_cancellation_landed_in_the_error_queue_is_released_by_catalogs_reconciliation()
    {
        await using var shop = await Shop.StartAsync(infrastructure, new ShopOptions
        {
            WithPayment = false,
            CatalogSettings = new Dictionary<string, string?>(NoRetries)
            {
                ["Catalog:Reconciliation:Interval"] = "00:00:00.500",
                ["Catalog:Reconciliation:StaleAfter"] = "00:00:02",
            },
            OrderingSettings = new Dictionary<string, string?>
            {
                ["Ordering:OrderTimeout"] = "00:00:03",
                // Payment is not there to answer: the order is cancelled at its payment deadline.
                ["Ordering:PaymentReplyWindow"] = "00:00:00",
                ["Ordering:TimeoutSweepInterval"] = "00:00:00.500",
            },
        });
        var product = await shop.CreateProductAsync(price: 5m, stock: 10);
        using var customer = shop.Customer("quentin");
        var orderId = await customer.PlaceAcceptedOrderAsync(product, 4);
        await shop.Bus.WaitForAsync<PaymentRequested>(e => e.OrderId == orderId, "the reservation");

        await using (await infrastructure.TakeDatabaseOfflineAsync(shop.CatalogDatabase))
        {
            var order = await customer.WaitUntilFinishedAsync(orderId);
            Assert.Equal(("Cancelled", CancellationReasons.TimedOut), (order.Status, order.FailureReason));
            await Eventually.TrueAsync(async () => await infrastructure.MessagesAsync(shop.Messaging, "catalog_error") == 1,
                "OrderCancelled to land in catalog_error");
        }

        await Eventually.TrueAsync(async () => await shop.AvailableStockAsync(product) == 10, "the reservation to be released");
        Assert.Equal("released", await Database.ScalarAsync<string>(shop.CatalogDatabase,
            "SELECT status FROM stock_reservations WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task A_reservation_for_an_order_ordering_has_no_record_of_is_released_at_its_first_reconciliation()
    {
        await using var shop = await Shop.StartAsync(infrastructure, new ShopOptions
        {
            WithPayment = false,
            CatalogSettings = new Dictionary<string, string?>
            {
                ["Catalog:Reconciliation:Interval"] = "00:00:00.500",
                ["Catalog:Reconciliation:StaleAfter"] = "00:00:02",
            },
        });
        var product = await shop.CreateProductAsync(price: 6m, stock: 10);
        using var customer = shop.Customer("ursula");
        var orderId = await customer.PlaceAcceptedOrderAsync(product, 3);
        await shop.Bus.WaitForAsync<PaymentRequested>(e => e.OrderId == orderId, "the reservation");

        // Ordering loses the order (a database restored from a backup taken before it): catalog still holds its stock.
        await Database.ExecuteAsync(shop.OrderingDatabase,
            "DELETE FROM order_items WHERE order_id = @orderId; DELETE FROM orders WHERE id = @orderId", new { orderId });

        await shop.Bus.WaitForAsync<OrderCancelled>(e => e.OrderId == orderId && e.Reason == CancellationReasons.UnknownOrder,
            "ordering's answer");
        await Eventually.TrueAsync(async () => await shop.AvailableStockAsync(product) == 10, "the reservation to be released");
        Assert.Equal("released", await Database.ScalarAsync<string>(shop.CatalogDatabase,
            "SELECT status FROM stock_reservations WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task A_charge_whose_success_landed_in_the_error_queue_is_refunded_by_payments_reconciliation_once_its_order_timed_out()
    {
        await using var shop = await Shop.StartAsync(infrastructure, new ShopOptions
        {
            OrderingSettings = new Dictionary<string, string?>(NoRetries)
            {
                ["Ordering:OrderTimeout"] = "00:00:04",
                ["Ordering:TimeoutSweepInterval"] = "00:00:00.500",
            },
            // Long enough to cut ordering's database off before payment answers.
            PaymentSettings = new Dictionary<string, string?> { ["Payment:Provider:Latency"] = "00:00:02" },
        });
        var product = await shop.CreateProductAsync(price: 9m, stock: 10);
        using var customer = shop.Customer("rita");
        var orderId = await customer.PlaceAcceptedOrderAsync(product, 2);
        await shop.Bus.WaitForAsync<PaymentRequested>(e => e.OrderId == orderId, "PaymentRequested");

        await using (await infrastructure.TakeDatabaseOfflineAsync(shop.OrderingDatabase))
        {
            await shop.Bus.WaitForAsync<PaymentSucceeded>(e => e.OrderId == orderId, "the charge");
            await Eventually.TrueAsync(async () => await infrastructure.MessagesAsync(shop.Messaging, "ordering_error") == 1,
                "PaymentSucceeded to land in ordering_error");
            // Payment's reconciliation must not answer before the order has timed out: it starts again later.
            await shop.StopPaymentAsync();
        }

        var order = await customer.WaitUntilFinishedAsync(orderId);
        Assert.Equal(("Cancelled", CancellationReasons.TimedOut), (order.Status, order.FailureReason));
        await Eventually.TrueAsync(async () => await shop.AvailableStockAsync(product) == 10, "the stock to be released");

        await shop.StartPaymentAsync(new Dictionary<string, string?>
        {
            ["Payment:Reconciliation:Interval"] = "00:00:00.500",
            ["Payment:Reconciliation:StaleAfter"] = "00:00:01",
        });

        await shop.Bus.WaitForAsync<PaymentRefunded>(e => e.OrderId == orderId, "the refund");
        await Eventually.TrueAsync(
            async () =>
                await Database.CountAsync(shop.OrderingDatabase,
                "SELECT count(*) FROM orders WHERE id = @orderId AND refunded_at IS NOT NULL", new { orderId }) == 1,
            "ordering to record the refund");
        Assert.Equal(1, await Database.ProviderChargesAsync(shop.PaymentDatabase, orderId));
        Assert.Equal(1, await Database.ProviderRefundsAsync(shop.PaymentDatabase, orderId));
        Assert.Equal("Cancelled", (await customer.GetOrderAsync(orderId)).Status);
    }
}
