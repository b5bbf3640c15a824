using System.Net;
using MsaShop.Gateway.Tests.Infrastructure;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.Tokens;

namespace MsaShop.Gateway.Tests;

public sealed class RateLimitTests
{
    internal static IReadOnlyDictionary<string, string?> ThreePerMinute { get; } = new Dictionary<string, string?>
    {
        ["Gateway:RateLimit:PermitLimit"] = "3",
        ["Gateway:RateLimit:Window"] = "00:01:00",
    };

    [Fact]
    public async Task Anonymous_client_over_its_limit_gets_429_problem_with_retry_after()
    {
        await using var bed = await GatewayTestBed.StartAsync(ThreePerMinute);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await bed.GetAsync("/api/catalog/items")).Response.StatusCode);
        }

        var (rejected, _) = await bed.GetAsync("/api/catalog/items");

        await ProblemAssert.IsProblemAsync(rejected, HttpStatusCode.TooManyRequests);
        var retryAfter = Assert.Single(rejected.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(3, bed.CatalogA.Received.Count + bed.CatalogB.Received.Count);
    }

    [Fact]
    public async Task Each_user_has_a_budget_of_its_own()
    {
        await using var bed = await GatewayTestBed.StartAsync(ThreePerMinute);
        var alice = DevelopmentTokens.Create("alice");
        var bob = DevelopmentTokens.Create("bob");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await bed.GetAsync("/api/orders", alice)).Response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await bed.GetAsync("/api/orders", alice)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bed.GetAsync("/api/orders", bob)).Response.StatusCode);
        // Bob and alice share an address; the anonymous budget of that address is untouched too.
        Assert.Equal(HttpStatusCode.OK, (await bed.GetAsync("/api/catalog/items")).Response.StatusCode);
    }

    [Fact]
    public async Task Gateway_health_is_not_rate_limited()
    {
        await using var bed = await GatewayTestBed.StartAsync(ThreePerMinute);

        for (var i = 0; i < 6; i++)
        {
            var response = await bed.Client.GetAsync("/health", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
