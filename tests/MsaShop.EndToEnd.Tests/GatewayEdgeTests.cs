using System.Net;
using MsaShop.EndToEnd.Tests.Infrastructure;

namespace MsaShop.EndToEnd.Tests;

/// <summary>What the gateway lets through, and what it does not.</summary>
public sealed class GatewayEdgeTests(ShopFixture fixture)
{
    private static readonly object AnyOrder = new { items = new[] { new { productId = 1, quantity = 1 } }, paymentToken = "tok_visa" };

    [Fact]
    public async Task An_anonymous_order_is_rejected_with_401()
    {
        using var response = await fixture.Api.SendAsync(HttpMethod.Post, "/api/orders", token: null, AnyOrder);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_customer_cannot_write_the_catalog()
    {
        var token = Shoppers.CustomerToken(Shoppers.NewCustomer());
        var item = new { name = "Not allowed", description = "", price = 1m, availableStock = 1 };

        using var create = await fixture.Api.SendAsync(HttpMethod.Post, "/api/catalog/items", token, item);
        using var update = await fixture.Api.SendAsync(HttpMethod.Put, "/api/catalog/items/1", token, item);
        using var anonymous = await fixture.Api.SendAsync(HttpMethod.Post, "/api/catalog/items", token: null, item);

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, update.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/payments")]
    [InlineData("GET", "/api/payments/health")]
    [InlineData("POST", "/api/payments/charges")]
    public async Task No_route_reaches_the_payment_service(string method, string path)
    {
        // Even an admin: payment is reached only through RabbitMQ, never over public HTTP.
        using var response =
            await fixture.Api.SendAsync(new HttpMethod(method), path, Shoppers.AdminToken(), method == "POST" ? AnyOrder : null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
