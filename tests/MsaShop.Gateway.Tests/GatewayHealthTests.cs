using System.Net;
using System.Text.Json;
using MsaShop.Gateway.Tests.Infrastructure;

namespace MsaShop.Gateway.Tests;

/// <summary>The gateway's /health says whether it can serve: its clusters' destinations, not only its own process.</summary>
public sealed class GatewayHealthTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Report)> HealthAsync(GatewayTestBed bed)
    {
        using var response = await bed.Client.GetAsync("/health", TestContext.Current.CancellationToken);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
        return (response.StatusCode, report);
    }

    private static int Available(JsonElement report, string cluster) =>
        report.GetProperty("checks").GetProperty("clusters").GetProperty("data").GetProperty(cluster).GetProperty("available").GetInt32();

    [Fact]
    public async Task Health_follows_the_destinations_the_probes_find_down_and_up_again()
    {
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:HealthChecks:Interval"] = "00:00:00.200",
            ["Gateway:HealthChecks:ConsecutiveFailures"] = "1",
        });

        var (status, report) = await HealthAsync(bed);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal(2, Available(report, "catalog"));
        Assert.Equal(1, Available(report, "ordering"));

        // Ordering down: catalog reads can still be served, so the gateway stays in rotation (200), Degraded.
        bed.Ordering.Healthy = false;
        (status, report) = await Eventually.ReturnsAsync(() => HealthAsync(bed),
            health => health.Report.GetProperty("status").GetString() == "Degraded", "health to report Degraded");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, Available(report, "ordering"));
        Assert.Equal(2, Available(report, "catalog"));
        Assert.Contains("ordering 0/1", report.GetProperty("checks").GetProperty("clusters").GetProperty("description").GetString(), StringComparison.Ordinal);

        // Nothing behind it answers: the gateway cannot serve anything, 503.
        foreach (var service in bed.Services)
        {
            service.Healthy = false;
        }
        (status, report) = await Eventually.ReturnsAsync(() => HealthAsync(bed),
            health => health.Status == HttpStatusCode.ServiceUnavailable, "health to answer 503");
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());

        // And back.
        foreach (var service in bed.Services)
        {
            service.Healthy = true;
        }
        (status, report) = await Eventually.ReturnsAsync(() => HealthAsync(bed),
            health => health.Report.GetProperty("status").GetString() == "Healthy", "health to report Healthy again");
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
