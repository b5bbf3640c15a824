using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MsaShop.Gateway.Tests.Infrastructure;

namespace MsaShop.Gateway.Tests;

/// <summary>
/// The storefront and API reference the gateway serves: the page everywhere, the development sign-in and the
/// services' OpenAPI documents in Development only.
/// </summary>
public sealed class StorefrontTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Settings(bool DevelopmentSignIn, string? ApiReference, Uri? DashboardUrl);

    private sealed record SignIn(string AccessToken, string Customer, DateTimeOffset ExpiresAt);

    private static Task<GatewayTestBed> StartInProductionAsync() => GatewayTestBed.StartAsync(new Dictionary<string, string?>
    {
        ["environment"] = "Production",
        // Production refuses the repository's development key.
        ["Identity:SigningKey"] = SigningKeys.NewRandom(),
    });

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task The_page_is_served_at_the_root(string environment)
    {
        await using var bed = environment == "Production" ? await StartInProductionAsync() : await GatewayTestBed.StartAsync();
        Assert.Equal(environment, bed.Gateway.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);

        using var root = await bed.Client.GetAsync("/", Ct);
        using var script = await bed.Client.GetAsync("/app.js", Ct);

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>MsaShop</title>", await root.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task In_development_a_customer_signs_in_and_the_token_passes_the_gateway()
    {
        await using var bed = await GatewayTestBed.StartAsync();

        var settings = await bed.Client.GetFromJsonAsync<Settings>("/storefront/settings", Ct);
        using var signIn = await bed.Client.PostAsJsonAsync("/storefront/dev-token", new { customer = "alice" }, Ct);
        var token = (await signIn.Content.ReadFromJsonAsync<SignIn>(Ct))!;
        var (orders, echo) = await bed.GetAsync("/api/orders", token.AccessToken);

        Assert.Equal(new Settings(true, "/scalar", null), settings);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal("alice", token.Customer);
        Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        Assert.Equal("ordering", echo!.Instance);
    }

    [Fact]
    public async Task In_development_a_bad_sign_in_is_a_400_problem()
    {
        await using var bed = await GatewayTestBed.StartAsync();

        using var invalidName = await bed.Client.PostAsJsonAsync("/storefront/dev-token", new { customer = "alice smith" }, Ct);
        await ProblemAssert.IsProblemAsync(invalidName, HttpStatusCode.BadRequest);
        await BadRequestBodies.AssertRefusedAsync(bed.Client, HttpMethod.Post, "/storefront/dev-token", "{\"customer\": 42}",
            bed.Gateway.Logs);
        await BadRequestBodies.AssertRefusedAsync(bed.Client, HttpMethod.Post, "/storefront/dev-token", "{\"customer\": ",
            bed.Gateway.Logs);
    }

    [Fact]
    public async Task In_production_there_is_no_sign_in_no_API_documents_and_no_API_reference()
    {
        await using var bed = await StartInProductionAsync();

        var settings = await bed.Client.GetFromJsonAsync<Settings>("/storefront/settings", Ct);
        using var signIn = await bed.Client.PostAsJsonAsync("/storefront/dev-token", new { customer = "alice" }, Ct);
        using var reference = await bed.Client.GetAsync("/scalar/", Ct);
        using var document = await bed.Client.GetAsync("/openapi/catalog.json", Ct);

        Assert.Equal(new Settings(false, null, null), settings);
        await ProblemAssert.IsProblemAsync(signIn, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(reference, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(document, HttpStatusCode.NotFound);
        Assert.Empty(bed.CatalogA.Received.Concat(bed.CatalogB.Received));
    }

    [Fact]
    public async Task In_development_each_service_document_is_published_and_listed_on_one_page()
    {
        await using var bed = await GatewayTestBed.StartAsync();

        var (catalog, catalogEcho) = await bed.GetAsync("/openapi/catalog.json");
        var (ordering, orderingEcho) = await bed.GetAsync("/openapi/ordering.json");
        var page = await bed.Client.GetStringAsync("/scalar/", Ct);

        Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);
        Assert.StartsWith("catalog", catalogEcho!.Instance, StringComparison.Ordinal);
        Assert.Equal("/openapi/v1.json", catalogEcho.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, ordering.StatusCode);
        Assert.Equal(("ordering", "/openapi/v1.json"), (orderingEcho!.Instance, orderingEcho.PathAndQuery));
        Assert.Contains("\"url\":\"openapi/catalog.json\"", page, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"openapi/ordering.json\"", page, StringComparison.Ordinal);
        // The page fetches nothing from elsewhere: no fonts, no telemetry.
        Assert.Contains("\"telemetry\":false", page, StringComparison.Ordinal);
        Assert.Contains("\"withDefaultFonts\":false", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_response_names_the_trace_the_request_became()
    {
        await using var bed = await GatewayTestBed.StartAsync();
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/items");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        // A client that sends the traceparent it chose, as the storefront does (this process's own HttpClient would replace it).
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = bed.Client.BaseAddress,
        };

        using var response = await client.SendAsync(request, Ct);
        var echo = await response.Content.ReadFromJsonAsync<Echo>(Ct);

        Assert.True(response.Headers.TryGetValues("traceresponse", out var values));
        var traceResponse = Assert.Single(values).Split('-');
        Assert.Equal(traceId, traceResponse[1]);
        // The catalog got the same trace, with the gateway's span as the parent.
        Assert.Equal(traceId, echo!.Headers["traceparent"].Split('-')[1]);
    }
}
