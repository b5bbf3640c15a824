using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using MsaShop.Client;
using MsaShop.Contracts;
using MsaShop.Tests.Support;

namespace MsaShop.Ordering.Tests;

/// <summary>The order saga end to end: real catalog, ordering and payment over real RabbitMQ and PostgreSQL.</summary>
public sealed class OrderSagaTests(ShopFixture fixture) : IClassFixture<ShopFixture>
{
    private readonly Shop _shop = fixture.Shop;

    [Fact]
    public async Task A_paid_order_completes_and_the_stock_stays_sold()
    {
        var product = await _shop.CreateProductAsync(price: 12.50m, stock: 10);
        using var customer = _shop.Customer("alice");

        var orderId = await customer.PlaceAcceptedOrderAsync(product, quantity: 3);
        var order = await customer.WaitUntilFinishedAsync(orderId);

        Assert.Equal("Completed", order.Status);
        Assert.Null(order.FailureReason);
        Assert.Equal(37.50m, order.Total);
        Assert.Equal(new OrderItemResponse(product, order.Items[0].ProductName, 12.50m, 3), Assert.Single(order.Items));
        Assert.Equal(7, await _shop.AvailableStockAsync(product));
        await _shop.Bus.WaitForAsync<OrderCompleted>(e => e.OrderId == orderId, "OrderCompleted");
    }

    [Fact]
    public async Task A_declined_payment_cancels_the_order_and_puts_the_stock_back()
    {
        var product = await _shop.CreateProductAsync(price: 5m, stock: 4);
        using var customer = _shop.Customer("bob");

        var orderId = await customer.PlaceAcceptedOrderAsync(product, quantity: 4, paymentToken: "tok_decline_insufficient_funds");
        var order = await customer.WaitUntilFinishedAsync(orderId);

        Assert.Equal("Cancelled", order.Status);
        Assert.Equal(CancellationReasons.PaymentDeclined, order.FailureReason);
        await Eventually.TrueAsync(async () => await _shop.AvailableStockAsync(product) == 4, "the reservation to be released");
    }

    [Fact]
    public async Task An_order_for_more_than_the_stock_is_cancelled_as_out_of_stock()
    {
        var product = await _shop.CreateProductAsync(price: 99m, stock: 2);
        using var customer = _shop.Customer("carol");

        var orderId = await customer.PlaceAcceptedOrderAsync(product, quantity: 3);
        var order = await customer.WaitUntilFinishedAsync(orderId);

        Assert.Equal("Cancelled", order.Status);
        Assert.Equal(CancellationReasons.OutOfStock, order.FailureReason);
        Assert.Equal(2, await _shop.AvailableStockAsync(product));
        Assert.DoesNotContain(_shop.Bus.Received<PaymentRequested>(), e => e.OrderId == orderId);
    }

    [Fact]
    public async Task A_customer_reads_only_their_own_orders_and_an_admin_reads_any()
    {
        var product = await _shop.CreateProductAsync(price: 1m, stock: 100);
        using var dave = _shop.Customer("dave");
        using var erin = _shop.Customer("erin");
        using var admin = new ShopClient(_shop.Ordering.CreateClientFor("ops", "admin"), disposeHttpClient: true);
        using var anonymous = _shop.Ordering.CreateClient();

        var first = await dave.PlaceAcceptedOrderAsync(product, 1);
        var second = await dave.PlaceAcceptedOrderAsync(product, 2);

        using var foreign = await erin.Http.GetAsync($"/api/orders/{first}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("application/problem+json", foreign.Content.Headers.ContentType?.MediaType);
        Assert.Equal("dave", (await admin.GetOrderAsync(first)).CustomerId);
        using var unauthenticated = await anonymous.GetAsync($"/api/orders/{first}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);

        Assert.Equal([second, first], (await dave.GetOrdersAsync()).Select(o => o.OrderId));
        Assert.Empty(await erin.GetOrdersAsync());
    }

    [Fact]
    public async Task The_same_idempotency_key_and_body_give_the_same_order_even_when_requests_race()
    {
        var product = await _shop.CreateProductAsync(price: 3m, stock: 100);
        using var customer = _shop.Customer("frank");
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostOrderAsync(customer.Http, Orders.Of(product, 2), key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r =>
            (await r.Content.ReadFromJsonAsync<PlaceOrderResponse>(TestContext.Current.CancellationToken))!.OrderId));
        var orderId = Assert.Single(ids.Distinct());
        Assert.All(responses, r => Assert.Equal($"/api/orders/{orderId}", r.Headers.Location?.OriginalString));
        Assert.Equal(1, await Database.CountAsync(_shop.OrderingDatabase, "SELECT count(*) FROM orders WHERE customer_id = 'frank'"));

        // Later retries still answer with the same order, whatever state it reached meanwhile.
        await customer.WaitUntilFinishedAsync(orderId);
        var retry = await customer.PlaceOrderAsync(Orders.Of(product, 2), key, accessToken: null, TestContext.Current.CancellationToken);
        Assert.Equal(orderId, retry.OrderId);
        Assert.Equal(98, await _shop.AvailableStockAsync(product));
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_rejected()
    {
        var product = await _shop.CreateProductAsync(price: 3m, stock: 100);
        using var customer = _shop.Customer("grace");
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await customer.TryPlaceOrderAsync(product, 1, idempotencyKey: key)).Status);

        var other = await Assert.ThrowsAsync<ShopApiException>(
            () => customer.PlaceOrderAsync(Orders.Of(product, 5), key, accessToken: null, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);
        Assert.Equal("Idempotency-Key reused", other.Title);
        // Keys belong to a customer: another customer's identical key is a new order.
        using var someoneElse = _shop.Customer("heidi");
        Assert.Equal(HttpStatusCode.Accepted, (await someoneElse.TryPlaceOrderAsync(product, 5, idempotencyKey: key)).Status);
    }

    public static TheoryData<string, string> InvalidOrders => new()
    {
        { "empty", """{"items":[],"paymentToken":"tok_visa"}""" },
        { "no items", """{"paymentToken":"tok_visa"}""" },
        { "quantity 0", """{"items":[{"productId":1,"quantity":0}],"paymentToken":"tok_visa"}""" },
        { "quantity 1001", """{"items":[{"productId":1,"quantity":1001}],"paymentToken":"tok_visa"}""" },
        { "no payment token", """{"items":[{"productId":1,"quantity":1}]}""" },
        { "null line", """{"items":[null],"paymentToken":"tok_visa"}""" },
        { "NUL in payment token", """{"items":[{"productId":1,"quantity":1}],"paymentToken":"tok_\u0000"}""" },
        { "duplicate lines", """{"items":[{"productId":1,"quantity":1},{"productId":1,"quantity":2}],"paymentToken":"tok_visa"}""" },
        { "unknown product", """{"items":[{"productId":987654,"quantity":1}],"paymentToken":"tok_visa"}""" },
        { "51 lines", $$"""{"items":[{{FiftyOneLines()}}],"paymentToken":"tok_visa"}""" },
    };

    private static string FiftyOneLines() =>
        string.Join(",", Enumerable.Range(1, 51).Select(i => $"{{\"productId\":{i},\"quantity\":1}}"));

    [Theory]
    [MemberData(nameof(InvalidOrders))]
    public async Task An_invalid_order_is_a_400_problem(string why, string body)
    {
        using var customer = _shop.Customer("ivan");

        using var response = await customer.Http.PostAsync("/api/orders",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode,
            $"{why}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_payment_span_carries_the_trace_id_of_the_request_that_placed_the_order()
    {
        var product = await _shop.CreateProductAsync(price: 8m, stock: 5);
        using var customer = _shop.Customer("judy");
        var traceId = ActivityTraceId.CreateRandom();
        var spans = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source =>
                source.Name is "Microsoft.AspNetCore" or "MassTransit" || source.Name.StartsWith("MsaShop", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(Orders.Of(product, 1)),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await customer.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var orderId = (await response.Content.ReadFromJsonAsync<PlaceOrderResponse>(TestContext.Current.CancellationToken))!.OrderId;

        Assert.Equal("Completed", (await customer.WaitUntilFinishedAsync(orderId)).Status);
        var charge = await Eventually.ReturnsAsync(
            () =>
                Task.FromResult(
                spans.FirstOrDefault(s => s.Source.Name == "MsaShop.Payment" && Equals(s.GetTagItem("msashop.order_id"), orderId))),
            span => span is not null, "the payment span");
        Assert.Equal(traceId, charge!.TraceId);
    }

    /// <summary>POST /api/orders as it goes over the wire, for what a typed answer leaves out (the Location header).</summary>
    private static Task<HttpResponseMessage> PostOrderAsync(HttpClient customer, PlaceOrderRequest order, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(order) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return customer.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
