using System.Net;
using MsaShop.Gateway.Tests.Infrastructure;
using Yarp.ReverseProxy.Model;

namespace MsaShop.Gateway.Tests;

public sealed class LoadBalancingTests
{
    [Fact]
    public async Task Catalog_reads_alternate_between_the_two_replicas()
    {
        await using var bed = await GatewayTestBed.StartAsync();

        for (var i = 0; i < 10; i++)
        {
            var (response, _) = await bed.GetAsync("/api/catalog/items");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Round robin: with sequential requests each replica gets every other one.
        Assert.Equal(5, bed.CatalogA.Received.Count);
        Assert.Equal(5, bed.CatalogB.Received.Count);
    }

    [Fact]
    public async Task Stopped_replica_costs_no_failed_read_and_leaves_rotation_at_once()
    {
        // Probes every minute only: what takes the replica out here is the failed connection itself.
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:HealthChecks:Interval"] = "00:01:00",
            ["Gateway:HealthChecks:ReactivationPeriod"] = "00:05:00",
        });
        await bed.GetAsync("/api/catalog/items");
        await bed.GetAsync("/api/catalog/items");
        Assert.Single(bed.CatalogB.Received);

        await bed.CatalogB.StopAsync();
        for (var i = 0; i < 20; i++)
        {
            var (response, echo) = await bed.GetAsync($"/api/catalog/items/{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("catalog-a", echo!.Instance);
        }

        Assert.Equal(DestinationHealth.Unhealthy, bed.Destination("catalog", bed.CatalogB).Health.Passive);
        await Eventually.TrueAsync(() => Task.FromResult(bed.AvailableDestinations("catalog").SequenceEqual([bed.CatalogA])),
            "only catalog-a is left to choose from");
        Assert.Equal(21, bed.CatalogA.Received.Count);
    }

    [Fact]
    public async Task Replica_failing_its_health_check_leaves_rotation_and_rejoins_when_healthy()
    {
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:HealthChecks:Interval"] = "00:00:00.200",
            ["Gateway:HealthChecks:ConsecutiveFailures"] = "1",
        });

        bed.CatalogB.Healthy = false;
        await Eventually.TrueAsync(
            () => Task.FromResult(bed.Destination("catalog", bed.CatalogB).Health.Active == DestinationHealth.Unhealthy
                && bed.AvailableDestinations("catalog").SequenceEqual([bed.CatalogA])),
            "the gateway's probe takes catalog-b out of rotation");

        var servedByB = bed.CatalogB.Received.Count;
        for (var i = 0; i < 10; i++)
        {
            var (response, echo) = await bed.GetAsync("/api/catalog/items");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("catalog-a", echo!.Instance);
        }

        Assert.Equal(servedByB, bed.CatalogB.Received.Count);

        bed.CatalogB.Healthy = true;
        await Eventually.TrueAsync(async () =>
        {
            var (_, echo) = await bed.GetAsync("/api/catalog/items");
            return echo?.Instance == "catalog-b";
        }, "catalog-b serves reads again");
    }
}
