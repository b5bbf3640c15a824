using System.Net.Http.Headers;
using System.Net.Http.Json;
using MsaShop.Client;
using MsaShop.Contracts;
using MsaShop.Tokens;

namespace MsaShop.EndToEnd.Tests.Infrastructure;

/// <summary>Who calls the shop in these tests, and the steps they take through MsaShop.Client, through the gateway.</summary>
public static class Shoppers
{
    private static readonly TimeSpan OrderOutcomeTimeout = TimeSpan.FromSeconds(60);

    // Polls stay well below the gateway's per-client rate limit (100 requests per 10 s).
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(300);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static string CustomerToken(string subject) => DevelopmentTokens.Create(subject);

    public static string AdminToken() => DevelopmentTokens.Create("e2e-admin", "admin");

    /// <summary>A unique customer per test, so tests never read each other's orders.</summary>
    public static string NewCustomer() => "customer-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A fresh product (as admin), so a test's stock is its own.</summary>
    public static async Task<CatalogItem> CreateProductAsync(this ShopClient shop, decimal price, int stock = 100) =>
        (await shop.CreateItemAsync(new("E2E product " + Guid.NewGuid().ToString("N")[..8], "created by an end-to-end test", price, stock),
            AdminToken(), Cancellation)).Value;

    /// <summary>Places an order of one line as the customer <paramref name="token"/> names; returns its id.</summary>
    public static async Task<Guid> PlaceOrderAsync(this ShopClient shop, string token, int productId, int quantity, string paymentToken) =>
        (await shop.PlaceOrderAsync(new([new(productId, quantity)], paymentToken), idempotencyKey: null, token, Cancellation)).OrderId;

    /// <summary>Polls the order until the saga ends it (Completed or Cancelled), for at most a minute.</summary>
    public static async Task<OrderResponse> WaitForOutcomeAsync(this ShopClient shop, string token, Guid orderId)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        timeout.CancelAfter(OrderOutcomeTimeout);
        return await shop.WaitForOutcomeAsync(orderId, token, PollInterval, timeout.Token);
    }

    /// <summary>
    /// A request as it goes over the wire, for what the typed client does not send: no token, the wrong role, a path with no API.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        this ShopClient shop, HttpMethod method, string path, string? token = null, object? body = null,
        Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        headers?.Invoke(request.Headers);
        return await shop.Http.SendAsync(request, Cancellation);
    }
}
