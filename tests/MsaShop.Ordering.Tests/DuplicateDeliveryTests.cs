using MsaShop.Contracts;
using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Ordering.Tests;

/// <summary>Ordering alone in the saga: the test plays catalog and payment, and delivers their replies (some twice, some late).</summary>
public sealed class DuplicateDeliveryFixture(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    public Shop Shop { get; private set; } = null!;

    public ValueTask InitializeAsync() => new(Init());

    public ValueTask DisposeAsync() => Shop.DisposeAsync();

    private async Task Init() => Shop = await Shop.StartAsync(infrastructure, new ShopOptions
    {
        WithPayment = false,
        CatalogOutOfTheSaga = true,
        OrderingSettings = new Dictionary<string, string?>
        {
            ["Ordering:OrderTimeout"] = "00:00:10",
            ["Ordering:TimeoutSweepInterval"] = "00:00:00.500",
        },
    });
}

public sealed class DuplicateDeliveryTests(DuplicateDeliveryFixture fixture, InfrastructureFixture infrastructure)
    : IClassFixture<DuplicateDeliveryFixture>
{
    private readonly Shop _shop = fixture.Shop;

    [Fact]
    public async Task Each_reply_delivered_twice_moves_the_order_once()
    {
        var orderId = await PlaceOrderAsync("kim");

        var stockReserved = Guid.NewGuid();
        await _shop.Bus.PublishAsync(new StockReserved(orderId), stockReserved);
        await _shop.Bus.PublishAsync(new StockReserved(orderId), stockReserved);
        await _shop.Bus.WaitForAsync<PaymentRequested>(e => e.OrderId == orderId, "PaymentRequested");
        var paymentSucceeded = Guid.NewGuid();
        await _shop.Bus.PublishAsync(new PaymentSucceeded(orderId, Guid.NewGuid(), 10m), paymentSucceeded);
        await _shop.Bus.PublishAsync(new PaymentSucceeded(orderId, Guid.NewGuid(), 10m), paymentSucceeded);
        await _shop.Bus.WaitForAsync<OrderCompleted>(e => e.OrderId == orderId, "OrderCompleted");
        await infrastructure.WaitUntilDrainedAsync(_shop.Messaging, "ordering");

        Assert.Equal(1, await Database.OutboxCountAsync(_shop.OrderingDatabase, nameof(PaymentRequested), orderId));
        Assert.Equal(1, await Database.OutboxCountAsync(_shop.OrderingDatabase, nameof(OrderCompleted), orderId));
        using var customer = _shop.Customer("kim");
        Assert.Equal("Completed", (await customer.GetOrderAsync(orderId)).Status);
    }

    [Fact]
    public async Task A_reply_that_no_longer_applies_is_ignored()
    {
        var orderId = await PlaceOrderAsync("liam");
        await _shop.Bus.PublishAsync(new StockReservationFailed(orderId, CancellationReasons.OutOfStock), Guid.NewGuid());
        await _shop.Bus.WaitForAsync<OrderCancelled>(e => e.OrderId == orderId, "OrderCancelled");

        // A payment result for an order that never asked for one (a distinct message, not a redelivery).
        await _shop.Bus.PublishAsync(new PaymentSucceeded(orderId, Guid.NewGuid(), 10m), Guid.NewGuid());
        await infrastructure.WaitUntilDrainedAsync(_shop.Messaging, "ordering");

        using var customer = _shop.Customer("liam");
        var order = await customer.GetOrderAsync(orderId);
        Assert.Equal(("Cancelled", CancellationReasons.OutOfStock), (order.Status, order.FailureReason));
        Assert.Equal(0, await Database.OutboxCountAsync(_shop.OrderingDatabase, nameof(OrderCompleted), orderId));
        // The order stays cancelled, but money taken for it goes back.
        Assert.Equal(1, await Database.OutboxCountAsync(_shop.OrderingDatabase, nameof(PaymentRefundRequested), orderId));
    }

    [Theory]
    [InlineData(CancellationReasons.UnknownProduct)]
    [InlineData(CancellationReasons.InvalidQuantity)]
    [InlineData(CancellationReasons.OutOfStock)]
    public async Task A_rejected_reservation_cancels_the_order_with_the_reason_catalog_gave(string reason)
    {
        var orderId = await PlaceOrderAsync("nina");

        await _shop.Bus.PublishAsync(new StockReservationFailed(orderId, reason), Guid.NewGuid());

        using var customer = _shop.Customer("nina");
        var order = await customer.WaitUntilFinishedAsync(orderId);
        Assert.Equal(("Cancelled", reason), (order.Status, order.FailureReason));
        await _shop.Bus.WaitForAsync<OrderCancelled>(e => e.OrderId == orderId && e.Reason == reason, $"OrderCancelled({reason})");
    }

    [Fact]
    public async Task Stock_reserved_after_the_order_timed_out_is_released_again()
    {
        var orderId = await PlaceOrderAsync("mia");
        using var customer = _shop.Customer("mia");
        var order = await customer.WaitUntilFinishedAsync(orderId);
        Assert.Equal(("Cancelled", CancellationReasons.TimedOut), (order.Status, order.FailureReason));

        await _shop.Bus.PublishAsync(new StockReserved(orderId), Guid.NewGuid());

        await Eventually.TrueAsync(
            async () => await Database.OutboxCountAsync(_shop.OrderingDatabase, nameof(OrderCancelled), orderId) == 2,
            "a second OrderCancelled for the late reservation");
        Assert.Equal(0, await Database.OutboxCountAsync(_shop.OrderingDatabase, nameof(PaymentRequested), orderId));
        Assert.Equal("Cancelled", (await customer.GetOrderAsync(orderId)).Status);
    }

    private async Task<Guid> PlaceOrderAsync(string customerId)
    {
        var product = await _shop.CreateProductAsync(price: 10m, stock: 10);
        using var customer = _shop.Customer(customerId);
        var orderId = await customer.PlaceAcceptedOrderAsync(product, 1);
        await _shop.Bus.WaitForAsync<OrderSubmitted>(e => e.OrderId == orderId, "OrderSubmitted");
        return orderId;
    }
}
