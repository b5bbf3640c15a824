using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MsaShop.Harness;
using Npgsql;
using Polly.CircuitBreaker;

namespace MsaShop.ServiceDefaults.Tests;

public sealed class ProblemDetailsTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private sealed record Thing(string Name);

    private static Task<TestApp> StartAsync(string environment) => TestApp.StartAsync(
        web =>
        {
            web.MapPost("/things", (Thing thing) => TypedResults.Ok(thing));
            web.MapGet("/explode", string () => throw new InvalidOperationException("secret internals"));
            web.MapGet("/dependency-down", string () => throw new BrokenCircuitException("catalog is down"));
            web.MapGet("/database-down", async () =>
            {
                // A real connection attempt to a port nothing listens on, as when PostgreSQL is stopped or restarting.
                using var stoppedServer = new ClosedPort();
                await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={stoppedServer.Port};Username=nobody;Timeout=2");
                await connection.OpenAsync();
                return "unreachable";
            });
        },
        configuration: new Dictionary<string, string?> { ["Identity:SigningKey"] = SigningKeys.NewRandom() },
        environment: environment);

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation)).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        return problem;
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task An_unknown_route_answers_404_problem_details(string environment)
    {
        await using var app = await StartAsync(environment);

        using var response = await app.CreateClient().GetAsync("/nowhere", Cancellation);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task Malformed_JSON_answers_400_problem_details(string environment)
    {
        await using var app = await StartAsync(environment);

        using var response = await app.CreateClient().PostAsync(
            "/things", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"), Cancellation);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("Development", "{\"name\": 42}")]
    [InlineData("Development", "{\"name\": ")]
    [InlineData("Production", "{\"name\": 42}")]
    public async Task A_body_that_is_not_the_expected_JSON_is_a_warning_never_an_exception_nor_a_page(string environment, string body)
    {
        var logs = new LogCollector();
        await using var app = await TestApp.StartAsync(
            web => web.MapPost("/things", (Thing thing) => TypedResults.Ok(thing)),
            new Dictionary<string, string?> { ["Identity:SigningKey"] = SigningKeys.NewRandom() },
            builder => builder.Logging.AddProvider(logs),
            environment);
        using var client = app.CreateClient();

        await BadRequestBodies.AssertRefusedAsync(client, HttpMethod.Post, "/things", body, logs);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task An_unhandled_exception_answers_500_problem_details_without_the_stack(string environment)
    {
        await using var app = await StartAsync(environment);

        using var response = await app.CreateClient().GetAsync("/explode", Cancellation);

        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError);
        var text = problem.GetRawText();
        Assert.DoesNotContain("secret internals", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task A_dependency_behind_an_open_circuit_answers_503_problem_details(string environment)
    {
        await using var app = await StartAsync(environment);

        using var response = await app.CreateClient().GetAsync("/dependency-down", Cancellation);

        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task A_database_that_cannot_be_reached_answers_503_problem_details(string environment)
    {
        await using var app = await StartAsync(environment);

        using var response = await app.CreateClient().GetAsync("/database-down", Cancellation);

        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task A_wrong_method_answers_405_problem_details()
    {
        await using var app = await StartAsync("Production");

        using var response = await app.CreateClient().DeleteAsync("/things", Cancellation);

        await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task The_middleware_also_runs_under_TestServer_as_WebApplicationFactory_hosts_it()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.MapPost("/things", (Thing thing) => TypedResults.Ok(thing));
        await app.StartAsync(Cancellation);

        using var client = app.GetTestClient();
        using var notFound = await client.GetAsync("/nowhere", Cancellation);
        using var badJson = await client.PostAsJsonAsync("/things", "not a thing", Cancellation);

        await AssertProblemAsync(notFound, HttpStatusCode.NotFound);
        await AssertProblemAsync(badJson, HttpStatusCode.BadRequest);
    }
}
