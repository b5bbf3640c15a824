using System.Net;
using MsaShop.Gateway.Tests.Infrastructure;
using MsaShop.ServiceDefaults.Authentication;

namespace MsaShop.Gateway.Tests;

public sealed class ProxyErrorTests
{
    [Fact]
    public async Task Ordering_down_gives_502_then_503_problem_naming_the_service()
    {
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:HealthChecks:Interval"] = "00:01:00",
            ["Gateway:HealthChecks:ReactivationPeriod"] = "00:05:00",
        });
        var token = DevelopmentTokens.Create("customer-1");
        await bed.Ordering.StopAsync();

        // The only instance refuses the connection: nothing to retry on.
        var (refused, _) = await bed.GetAsync("/api/orders", token);
        var badGateway = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadGateway);
        Assert.Equal("The ordering service could not be reached.", badGateway.Detail);

        // The failure took it out of rotation (YARP applies that in the background): soon the gateway
        // answers without trying, and until then every answer is still a 502 problem.
        HttpResponseMessage? noDestination = null;
        await Eventually.TrueAsync(async () =>
        {
            (noDestination, _) = await bed.GetAsync("/api/orders", token);
            if (noDestination.StatusCode == HttpStatusCode.BadGateway)
            {
                await ProblemAssert.IsProblemAsync(noDestination, HttpStatusCode.BadGateway);
                return false;
            }

            return true;
        }, "ordering is out of rotation");
        var unavailable = await ProblemAssert.IsProblemAsync(noDestination!, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("No healthy instance of the ordering service is available.", unavailable.Detail);
    }

    [Fact]
    public async Task Every_catalog_replica_down_gives_a_problem_not_a_hang_or_500()
    {
        await using var bed = await GatewayTestBed.StartAsync();
        await bed.CatalogA.StopAsync();
        await bed.CatalogB.StopAsync();

        var (response, _) = await bed.GetAsync("/api/catalog/items");

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable });
        var problem = await ProblemAssert.IsProblemAsync(response, response.StatusCode);
        Assert.Contains("catalog", problem.Detail, StringComparison.Ordinal);
    }
}
