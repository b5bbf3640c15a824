using System.Net;
using MsaShop.Gateway.Tests.Infrastructure;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.Tokens;

namespace MsaShop.Gateway.Tests;

public sealed class ProxyErrorTests
{
    [Fact]
    public async Task Ordering_refusing_connections_gives_502_problem_naming_the_service_while_its_probe_passes()
    {
        // The probe ran at start and will not run again during the test.
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:HealthChecks:Interval"] = "00:01:00",
            ["Gateway:HealthChecks:ReactivationPeriod"] = "00:05:00",
        });
        var token = DevelopmentTokens.Create("customer-1");
        await bed.Ordering.StopAsync();

        // The only instance refuses the connection: nothing to retry on. Its failed connection marks it down,
        // but it is all there is and its probe passed, so the next calls try it again (panic mode).
        for (var i = 0; i < 5; i++)
        {
            var (refused, _) = await bed.GetAsync("/api/orders", token);
            var badGateway = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadGateway);
            Assert.Equal("The ordering service could not be reached.", badGateway.Detail);
        }
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
