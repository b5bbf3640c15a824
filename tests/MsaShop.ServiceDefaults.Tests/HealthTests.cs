using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MsaShop.ServiceDefaults.Tests;

public sealed class HealthTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static Task<TestApp> StartWithDatabaseCheck(HealthStatus databaseStatus) =>
        TestApp.StartAsync(
            _ => { },
            configureBuilder: builder => builder.Services.AddHealthChecks()
                .AddCheck("database", () => new HealthCheckResult(databaseStatus, "the database answers or not")));

    private static async Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)> GetAsync(TestApp app, string path)
    {
        using var response = await app.CreateClient().GetAsync(path, Cancellation);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation)).RootElement.Clone();
        return (response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_reports_every_check_as_JSON()
    {
        await using var app = await StartWithDatabaseCheck(HealthStatus.Healthy);

        var (status, body, contentType) = await GetAsync(app, "/health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("self").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_failing_readiness_check_makes_health_503_while_alive_stays_200()
    {
        await using var app = await StartWithDatabaseCheck(HealthStatus.Unhealthy);

        var health = await GetAsync(app, "/health");
        var alive = await GetAsync(app, "/alive");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Equal("Unhealthy", health.Body.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", health.Body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, alive.Status);
        Assert.Equal("Healthy", alive.Body.GetProperty("status").GetString());
        Assert.Equal(["self"], alive.Body.GetProperty("checks").EnumerateObject().Select(check => check.Name));
    }

    [Fact]
    public async Task A_degraded_check_answers_200_with_status_degraded()
    {
        await using var app = await StartWithDatabaseCheck(HealthStatus.Degraded);

        var (status, body, _) = await GetAsync(app, "/health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", body.GetProperty("status").GetString());
    }
}
