using System.Net;
using MsaShop.Client;
using MsaShop.Contracts;
using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Ordering.Tests;

/// <summary>
/// Load shedding: with the saga's backlog full, an order is refused at once, nothing stored, and taken again once orders finish.
/// </summary>
public sealed class AdmissionTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task With_the_backlog_full_an_order_is_refused_with_503_and_retry_after_and_taken_once_orders_finish()
    {
        await using var shop = await Shop.StartAsync(infrastructure, new ShopOptions
        {
            OrderingSettings = new Dictionary<string, string?>
            {
                ["Ordering:Admission:MaxInFlightOrders"] = "3",
                ["Ordering:Admission:RefreshInterval"] = "00:00:00.100",
                ["Ordering:Admission:RetryAfter"] = "00:00:02",
            },
        });
        // Payment stopped (its queue bound, collecting requests): every order stays in flight, AwaitingPayment.
        await shop.StopPaymentAsync();
        var product = await shop.CreateProductAsync(price: 5m, stock: 100);
        using var customer = shop.Customer("mia");
        var taken = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            taken.Add(await customer.PlaceAcceptedOrderAsync(product, 1));
        }
        foreach (var orderId in taken)
        {
            await shop.Bus.WaitForAsync<PaymentRequested>(e => e.OrderId == orderId, "PaymentRequested");
        }

        var key = Guid.NewGuid().ToString();
        var refused = await Assert.ThrowsAsync<ShopApiException>(
            () => customer.PlaceOrderAsync(Orders.Of(product, 1), key, accessToken: null, TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal(TimeSpan.FromSeconds(2), refused.RetryAfter);
        Assert.Equal("Too many orders in flight", refused.Title);
        // Refused before anything was stored: the customer still has three orders.
        var orders = await customer.GetOrdersAsync();
        Assert.Equal(taken.Order(), orders.Select(o => o.OrderId).Order());

        await shop.StartPaymentAsync();
        foreach (var orderId in taken)
        {
            Assert.Equal("Completed", (await customer.WaitUntilFinishedAsync(orderId)).Status);
        }
        // The same request again, as Retry-After invites: taken once the next count sees the backlog empty.
        var accepted = await Eventually.ReturnsAsync(
            async () => (await customer.TryPlaceOrderAsync(product, 1, idempotencyKey: key)).Status,
            status => status == HttpStatusCode.Accepted, "the order to be taken");
        Assert.Equal(HttpStatusCode.Accepted, accepted);
    }
}
