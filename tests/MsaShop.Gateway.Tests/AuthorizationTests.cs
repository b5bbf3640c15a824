using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using MsaShop.Gateway.Tests.Infrastructure;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.Tokens;

namespace MsaShop.Gateway.Tests;

public sealed class AuthorizationTests
{
    [Fact]
    public async Task Anonymous_order_is_rejected_with_401_problem_before_reaching_ordering()
    {
        await using var bed = await GatewayTestBed.StartAsync();

        var request = GatewayTestBed.Request(HttpMethod.Post, "/api/orders");
        request.Content = JsonContent.Create(new { items = Array.Empty<object>(), paymentToken = "tok_visa" });
        var (response, _) = await bed.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty(bed.Ordering.Received);
    }

    [Fact]
    public async Task Token_signed_with_another_key_is_rejected_with_401()
    {
        await using var bed = await GatewayTestBed.StartAsync();
        var forged = DevelopmentTokens.Create(
            new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Identity:SigningKey"] = SigningKeys.NewRandom() })
                .Build(),
            "customer-1");

        var (response, _) = await bed.GetAsync("/api/orders", forged);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty(bed.Ordering.Received);
    }

    [Theory]
    [InlineData("POST", "/api/catalog/items")]
    [InlineData("PUT", "/api/catalog/items/7")]
    [InlineData("DELETE", "/api/catalog/items/7")]
    public async Task Catalog_write_by_a_customer_is_forbidden(string method, string path)
    {
        await using var bed = await GatewayTestBed.StartAsync();

        var (response, _) =
            await bed.SendAsync(GatewayTestBed.Request(new HttpMethod(method), path, DevelopmentTokens.Create("customer-1")));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Empty(bed.CatalogA.Received);
        Assert.Empty(bed.CatalogB.Received);
    }

    [Fact]
    public async Task Anonymous_catalog_write_is_rejected_with_401()
    {
        await using var bed = await GatewayTestBed.StartAsync();

        var (response, _) = await bed.SendAsync(GatewayTestBed.Request(HttpMethod.Post, "/api/catalog/items"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty(bed.CatalogA.Received);
        Assert.Empty(bed.CatalogB.Received);
    }

    [Fact]
    public async Task Catalog_write_by_an_admin_is_forwarded_with_its_token_and_body()
    {
        await using var bed = await GatewayTestBed.StartAsync();
        var admin = DevelopmentTokens.Create("admin-1", "admin");

        var request = GatewayTestBed.Request(HttpMethod.Post, "/api/catalog/items", admin);
        request.Content = JsonContent.Create(new { name = "Mug", price = 9.5m });
        var (response, echo) = await bed.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(echo);
        Assert.Equal("POST", echo.Method);
        Assert.Equal($"Bearer {admin}", echo.Headers["Authorization"]);
        Assert.Contains("\"name\":\"Mug\"", echo.Body, StringComparison.Ordinal);
    }
}
