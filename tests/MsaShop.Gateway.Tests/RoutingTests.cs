using System.Net;
using MsaShop.Gateway.Tests.Infrastructure;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.Tokens;

namespace MsaShop.Gateway.Tests;

public sealed class RoutingTests
{
    [Fact]
    public async Task Catalog_read_is_forwarded_anonymously_with_its_path_query_and_forwarded_headers()
    {
        await using var bed = await GatewayTestBed.StartAsync();

        var (response, echo) = await bed.GetAsync("/api/catalog/items?page=2&pageSize=5");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(echo);
        Assert.StartsWith("catalog-", echo.Instance, StringComparison.Ordinal);
        Assert.NotEqual("catalog-canary", echo.Instance);
        Assert.Equal("/api/catalog/items?page=2&pageSize=5", echo.PathAndQuery);
        Assert.Equal("127.0.0.1", echo.Headers["X-Forwarded-For"]);
        Assert.Equal("http", echo.Headers["X-Forwarded-Proto"]);
        Assert.Equal(bed.Client.BaseAddress!.Authority, echo.Headers["X-Forwarded-Host"]);
        Assert.Equal("stable", Assert.Single(response.Headers.GetValues(FakeService.VersionHeader)));
    }

    [Theory]
    [InlineData("/api/orders")]
    [InlineData("/api/orders/0f8fad5b-d9cb-469f-a165-70867728950e")]
    public async Task Order_paths_reach_ordering_with_the_callers_token(string path)
    {
        await using var bed = await GatewayTestBed.StartAsync();
        var token = DevelopmentTokens.Create("customer-1");

        var (response, echo) = await bed.GetAsync(path, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ordering", echo!.Instance);
        Assert.Equal(path, echo.PathAndQuery);
        Assert.Equal($"Bearer {token}", echo.Headers["Authorization"]);
    }

    [Theory]
    [InlineData("GET", "/api/payments")]
    [InlineData("GET", "/api/payment/anything")]
    [InlineData("POST", "/api/payments")]
    [InlineData("GET", "/payment/health")]
    public async Task Nothing_routes_to_payment(string method, string path)
    {
        await using var bed = await GatewayTestBed.StartAsync();
        var admin = DevelopmentTokens.Create("admin-1", "admin");

        var (response, _) = await bed.SendAsync(GatewayTestBed.Request(new HttpMethod(method), path, admin));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.All(bed.Services, service => Assert.Empty(service.Received));
    }

    [Fact]
    public async Task Gateway_answers_its_own_health_check()
    {
        await using var bed = await GatewayTestBed.StartAsync();

        var response = await bed.Client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(bed.Services, service => Assert.Empty(service.Received));
    }
}
