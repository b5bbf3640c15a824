using System.Net;
using MsaShop.Gateway.Tests.Infrastructure;
using Yarp.ReverseProxy.Model;

namespace MsaShop.Gateway.Tests;

public sealed class PanicModeTests
{
    [Fact]
    public async Task After_one_blip_per_replica_reads_are_served_at_once_not_after_the_reactivation_period()
    {
        // Probes pass all along; a blip would keep a replica out of rotation for five minutes.
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:HealthChecks:Interval"] = "00:01:00",
            ["Gateway:HealthChecks:ReactivationPeriod"] = "00:05:00",
        });
        bed.CatalogA.DropNextRequests(1);
        bed.CatalogB.DropNextRequests(1);

        // The read goes to one replica and its retry to the other: each drops its connection once.
        var (blipped, _) = await bed.GetAsync("/api/catalog/items");
        await ProblemAssert.IsProblemAsync(blipped, HttpStatusCode.BadGateway);

        // Both are marked down, yet both stay available: panic mode.
        await Eventually.TrueAsync(
            () => IsPassivelyDown(bed, bed.CatalogA) && IsPassivelyDown(bed, bed.CatalogB)
                && bed.AvailableDestinations("catalog").Select(replica => replica.Instance).Order()
                    .SequenceEqual(["catalog-a", "catalog-b"]),
            "both replicas marked down by their failed connection and still available");

        var servedBy = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            var (response, echo) = await bed.GetAsync($"/api/catalog/items/{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            servedBy.Add(echo!.Instance);
        }

        Assert.Equal(["catalog-a", "catalog-b"], servedBy.Order());
        Assert.True(IsPassivelyDown(bed, bed.CatalogA) && IsPassivelyDown(bed, bed.CatalogB), "still within the reactivation period");
    }

    [Fact]
    public async Task Every_replica_really_dead_gives_503_problem_at_once_when_the_probes_agree()
    {
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:HealthChecks:Interval"] = "00:00:00.200",
            ["Gateway:HealthChecks:ConsecutiveFailures"] = "1",
        });
        await bed.CatalogA.StopAsync();
        await bed.CatalogB.StopAsync();

        // Until the probes notice, the gateway still tries them and every answer is a 502 problem;
        // once they agree, it answers without trying.
        var unavailable = await Eventually.ReturnsAsync(async () =>
        {
            var (response, _) = await bed.GetAsync("/api/catalog/items");
            if (response.StatusCode == HttpStatusCode.BadGateway)
            {
                await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadGateway);
            }

            return response;
        }, response => response.StatusCode != HttpStatusCode.BadGateway, "the probes mark every catalog replica down");

        var problem = await ProblemAssert.IsProblemAsync(unavailable, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("No healthy instance of the catalog service is available.", problem.Detail);
        Assert.Empty(bed.AvailableDestinations("catalog"));
    }

    private static bool IsPassivelyDown(GatewayTestBed bed, FakeService replica) =>
        bed.Destination("catalog", replica).Health.Passive == DestinationHealth.Unhealthy;
}
