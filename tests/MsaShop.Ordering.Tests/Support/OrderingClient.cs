using System.Net.Http.Json;

namespace MsaShop.Tests.Support;

public sealed record OrderLineDto(int ProductId, int Quantity);

public sealed record OrderItemDto(int ProductId, string ProductName, decimal UnitPrice, int Quantity);

public sealed record OrderDto(
    Guid OrderId, string CustomerId, string Status, List<OrderItemDto> Items, decimal Total, DateTime CreatedAt, DateTime UpdatedAt, string? FailureReason);

public sealed record PlacedOrderDto(Guid OrderId, string Status);

/// <summary>The public /api/orders contract, as a shopper's client uses it.</summary>
public static class OrderingClient
{
    public static readonly string[] TerminalStatuses = ["Completed", "Cancelled"];

    public static Task<HttpResponseMessage> PlaceOrderAsync(
        this HttpClient client, IEnumerable<OrderLineDto> items, string paymentToken = "tok_visa", string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new { items, paymentToken }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Places an order that must be accepted; returns its id.</summary>
    public static async Task<Guid> PlaceAcceptedOrderAsync(this HttpClient client, int productId, int quantity, string paymentToken = "tok_visa")
    {
        using var response = await client.PlaceOrderAsync([new(productId, quantity)], paymentToken);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted,
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return (await response.Content.ReadFromJsonAsync<PlacedOrderDto>(TestContext.Current.CancellationToken))!.OrderId;
    }

    public static async Task<OrderDto> GetOrderAsync(this HttpClient client, Guid orderId) =>
        (await client.GetFromJsonAsync<OrderDto>($"/api/orders/{orderId}", TestContext.Current.CancellationToken))!;

    /// <summary>Polls the order until it is Completed or Cancelled.</summary>
    public static Task<OrderDto> WaitUntilFinishedAsync(this HttpClient client, Guid orderId, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(() => client.GetOrderAsync(orderId), o => TerminalStatuses.Contains(o.Status), $"order {orderId} to finish", timeout);
}
