using System.Net;
using System.Text.Json;
using MsaShop.Gateway.Tests.Infrastructure;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.Tokens;

namespace MsaShop.Gateway.Tests;

/// <summary>The gateway's /health says whether it can serve: its clusters' destinations, not only its own process.</summary>
public sealed class GatewayHealthTests
{
    private static readonly string Admin = DevelopmentTokens.Create("operator", "admin");

    private static async Task<(HttpStatusCode Status, JsonElement Report)> HealthAsync(GatewayTestBed bed, string? token = null)
    {
        using var request = GatewayTestBed.Request(HttpMethod.Get, "/health", token ?? Admin);
        using var response = await bed.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
            .RootElement.Clone();
        return (response.StatusCode, report);
    }

    private static int Available(JsonElement report, string cluster) =>
        report.GetProperty("checks").GetProperty("clusters").GetProperty("data").GetProperty(cluster).GetProperty("available").GetInt32();

    [Fact]
    public async Task Anyone_reads_the_status_but_only_an_admin_reads_the_destinations()
    {
        await using var bed = await GatewayTestBed.StartAsync();

        using var anonymous = await bed.Client.GetAsync("/health", TestContext.Current.CancellationToken);
        var (customerStatus, customerReport) = await HealthAsync(bed, DevelopmentTokens.Create("alice"));
        var (_, adminReport) = await HealthAsync(bed);

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        var report = JsonDocument.Parse(await anonymous.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.False(report.TryGetProperty("checks", out _));
        Assert.DoesNotContain("127.0.0.1", report.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, customerStatus);
        Assert.False(customerReport.TryGetProperty("checks", out _));
        Assert.Equal(2, Available(adminReport, "catalog"));
    }

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
        Assert.Contains("ordering 0/1", report.GetProperty("checks").GetProperty("clusters").GetProperty("description").GetString(),
            StringComparison.Ordinal);

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
