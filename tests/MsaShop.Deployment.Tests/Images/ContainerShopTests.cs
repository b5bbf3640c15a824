using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.Tokens;

namespace MsaShop.Deployment.Tests.Images;

/// <summary>
/// The shop as the rendered dev overlay runs it from the published images (PublishedShop), driven from this machine
/// through the Service the HTTPRoute leads to, as a client would.
/// </summary>
[Collection(PublishedShopDefinition.Name)]
public sealed class ContainerShopTests(PublishedShop published) : IDisposable
{
    private static readonly TimeSpan OrderOutcomeTimeout = TimeSpan.FromMinutes(2);
    private readonly HttpClient _gateway = new() { BaseAddress = published.Shop.Gateway, Timeout = TimeSpan.FromSeconds(30) };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private sealed record CatalogItem(int Id, string Name, decimal Price, int AvailableStock);

    private sealed record CatalogPage(int Total, IReadOnlyList<CatalogItem> Items);

    private sealed record OrderView(Guid OrderId, string CustomerId, string Status, decimal Total, string? FailureReason);

    [Fact]
    public async Task The_gateway_container_serves_the_catalog_from_the_catalog_container()
    {
        using var response = await _gateway.GetAsync(new Uri("/api/catalog/items?pageSize=5", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<CatalogPage>(Cancellation);
        Assert.Equal(5, page!.Items.Count);
        Assert.True(page.Total >= 5, $"the seeded catalog holds {page.Total} items");
        // CATALOG_VERSION, from the catalog container's environment.
        Assert.Equal("stable", response.Headers.GetValues("X-Catalog-Version").Single());
    }

    [Fact]
    public async Task An_order_placed_through_the_gateway_container_reaches_Completed()
    {
        var customer = "customer-" + Guid.NewGuid().ToString("N")[..12];
        var token = TokenSignedWith(published.SigningKey, customer);
        var product = await InStockProductAsync();

        using var placed = await SendAsync(HttpMethod.Post, "/api/orders", token,
            new { items = new[] { new { productId = product.Id, quantity = 1 } }, paymentToken = "tok_visa" });
        Assert.True(placed.StatusCode == HttpStatusCode.Accepted,
            $"POST /api/orders answered {(int)placed.StatusCode}: {await placed.Content.ReadAsStringAsync(Cancellation)}");

        var order = await Eventually.ReturnsAsync(
            () => ReadOrderAsync(placed.Headers.Location!, token),
            seen => seen?.Status is "Completed" or "Cancelled",
            "the order to leave the saga (ordering, catalog and payment over RabbitMQ)", OrderOutcomeTimeout);

        Assert.Equal(("Completed", customer, product.Price), (order!.Status, order.CustomerId, order.Total));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var token = TokenSignedWith(Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)), "customer-intruder");

        using var response = await SendAsync(HttpMethod.Get, "/api/orders", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/payments")]
    [InlineData("GET", "/api/payments/health")]
    [InlineData("POST", "/api/payments/charges")]
    public async Task No_route_reaches_the_payment_container(string method, string path)
    {
        using var response = await SendAsync(new HttpMethod(method), path, TokenSignedWith(published.SigningKey, "admin", "admin"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Only_the_gateway_Service_is_published_and_only_on_loopback()
    {
        Assert.Equal("gateway", published.Shop.ExposedService);
        foreach (var container in published.Shop.Containers.Where(c => c != published.Shop.ProxyOf("gateway")))
        {
            Assert.Equal("", await published.Runtime.RunAsync("port", container));
        }
        Assert.StartsWith("80/tcp -> 127.0.0.1:", await published.Runtime.RunAsync("port", published.Shop.ProxyOf("gateway")),
            StringComparison.Ordinal);
    }

    public void Dispose() => _gateway.Dispose();

    /// <summary>A token as an identity provider holding the deployment's key would issue it.</summary>
    private static string TokenSignedWith(string key, string subject, params string[] roles) =>
        DevelopmentTokens.Create(new ConfigurationBuilder()
            .AddInMemoryCollection([new("Identity:SigningKey", key)])
            .Build(), subject, roles);

    private async Task<CatalogItem> InStockProductAsync()
    {
        var page = await _gateway.GetFromJsonAsync<CatalogPage>(new Uri("/api/catalog/items?pageSize=20", UriKind.Relative), Cancellation);
        return page!.Items.First(item => item.AvailableStock > 0);
    }

    private async Task<OrderView?> ReadOrderAsync(Uri location, string token)
    {
        using var response = await SendAsync(HttpMethod.Get, location.ToString(), token);
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<OrderView>(Cancellation) : null;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await _gateway.SendAsync(request, Cancellation);
    }
}
