using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.Tokens;

namespace MsaShop.EndToEnd.Tests.Infrastructure;

public sealed record CatalogItem(int Id, string Name, string Description, decimal Price, int AvailableStock);

public sealed record CatalogPage(int Page, int PageSize, int Total, IReadOnlyList<CatalogItem> Items);

public sealed record OrderLineView(int ProductId, string ProductName, decimal UnitPrice, int Quantity);

public sealed record OrderView(Guid OrderId, string CustomerId, string Status, IReadOnlyList<OrderLineView> Items, decimal Total, string? FailureReason);

/// <summary>The shop's public HTTP contract (docs/README.md, "The services"), called through the gateway as a client would.</summary>
public sealed class ShopApi(Uri gateway) : IDisposable
{
    private static readonly TimeSpan OrderOutcomeTimeout = TimeSpan.FromSeconds(60);
    // Polls stay well below the gateway's per-client rate limit (100 requests per 10 s).
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(300);
    private readonly HttpClient _client = new() { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };

    public static string CustomerToken(string subject) => DevelopmentTokens.Create(subject);

    public static string AdminToken() => DevelopmentTokens.Create("e2e-admin", "admin");

    /// <summary>A unique customer per test, so tests never read each other's orders.</summary>
    public static string NewCustomer() => "customer-" + Guid.NewGuid().ToString("N")[..12];

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, object? body = null,
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
        return await _client.SendAsync(request);
    }

    /// <summary>A fresh product (as admin), so a test's stock is its own.</summary>
    public async Task<CatalogItem> CreateProductAsync(decimal price, int stock = 100)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/catalog/items", AdminToken(), new
        {
            name = "E2E product " + Guid.NewGuid().ToString("N")[..8],
            description = "created by an end-to-end test",
            price,
            availableStock = stock,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CatalogItem>())!;
    }

    /// <summary>POST /api/orders; asserts 202 and returns the Location to poll.</summary>
    public async Task<Uri> PlaceOrderAsync(string token, int productId, int quantity, string paymentToken,
        Action<HttpRequestHeaders>? headers = null)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/orders", token,
            new { items = new[] { new { productId, quantity } }, paymentToken }, headers);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted,
            $"POST /api/orders answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location ?? throw new InvalidOperationException("202 without a Location header");
    }

    /// <summary>Polls GET /api/orders/{id} until the saga ends (Completed or Cancelled).</summary>
    public async Task<OrderView> WaitForOutcomeAsync(string token, Uri location)
    {
        var watch = Stopwatch.StartNew();
        OrderView? order = null;
        while (watch.Elapsed < OrderOutcomeTimeout)
        {
            using var response = await SendAsync(HttpMethod.Get, location.ToString(), token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                order = await response.Content.ReadFromJsonAsync<OrderView>();
                if (order?.Status is "Completed" or "Cancelled")
                {
                    return order;
                }
            }
            await Task.Delay(PollInterval);
        }
        throw new TimeoutException($"order {location} did not complete or cancel within {OrderOutcomeTimeout}; last seen: {order}");
    }

    public void Dispose() => _client.Dispose();
}
