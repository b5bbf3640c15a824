using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.ServiceDiscovery;

namespace MsaShop.ServiceDefaults.Tests;

/// <summary>Service discovery as <c>AddServiceDefaults</c> sets it up, from the configuration keys Aspire injects.</summary>
public sealed class ServiceDiscoveryTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static async Task<IReadOnlyList<string>> EndpointsOf(string serviceAddress, Dictionary<string, string?> settings)
    {
        using var host = TestClientHost.Create(settings);
        var endpoints = await host.Services.GetRequiredService<ServiceEndpointResolver>().GetEndpointsAsync(serviceAddress, Cancellation);
        return endpoints.Endpoints.Select(endpoint => endpoint.ToString()!).ToList();
    }

    private static Task<TestApp> StartEchoAsync(string name) =>
        TestApp.StartAsync(web => web.MapGet("/{**path}", (HttpRequest request) => $"{name} {request.Path}{request.QueryString}"));

    private static HttpClient ClientFor(IHost host, string baseAddress)
    {
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        client.BaseAddress = new Uri(baseAddress);
        return client;
    }

    [Fact]
    public async Task An_HttpClient_resolves_indexed_keys_and_keeps_path_and_query()
    {
        await using var catalog = await StartEchoAsync("catalog");
        using var host = TestClientHost.Create(new() { ["services:catalog:http:0"] = catalog.Address.ToString() });

        var answer = await ClientFor(host, "http://catalog").GetStringAsync("/api/items?page=2", Cancellation);

        Assert.Equal("catalog /api/items?page=2", answer);
    }

    [Fact]
    public async Task An_empty_parent_value_beside_indexed_keys_is_ignored()
    {
        // WebApplicationFactory.UseSetting("services:catalog:http:0", ...) also creates "services:catalog:http" = "".
        await using var catalog = await StartEchoAsync("catalog");
        using var host = TestClientHost.Create(new()
        {
            ["services:catalog:http"] = "",
            ["services:catalog:http:0"] = catalog.Address.ToString(),
        });

        Assert.Equal("catalog /items", await ClientFor(host, "http://catalog").GetStringAsync("/items", Cancellation));
    }

    [Fact]
    public async Task Https_is_preferred_for_https_plus_http_and_http_is_the_fallback()
    {
        var both = new Dictionary<string, string?>
        {
            ["services:catalog:http:0"] = "http://127.0.0.1:5101",
            ["services:catalog:https:0"] = "https://127.0.0.1:7101",
        };
        var httpOnly = new Dictionary<string, string?> { ["services:catalog:http:0"] = "http://127.0.0.1:5101" };

        Assert.Equal(["https://127.0.0.1:7101/"], await EndpointsOf("https+http://catalog", both));
        Assert.Equal(["http://127.0.0.1:5101/"], await EndpointsOf("https+http://catalog", httpOnly));
        Assert.Equal(["http://127.0.0.1:5101/"], await EndpointsOf("http://catalog", both));
    }

    [Fact]
    public async Task A_name_absent_from_configuration_passes_through_to_DNS()
    {
        var settings = new Dictionary<string, string?> { ["services:catalog:http:0"] = "http://127.0.0.1:5101" };

        // A Kubernetes Service name: the name itself goes to DNS (kube-proxy balances across the pods).
        Assert.Equal(["ordering:8080"], await EndpointsOf("http://ordering:8080", settings));
        Assert.Equal(["ordering:80"], await EndpointsOf("http://ordering", settings));
    }

    [Fact]
    public async Task An_HttpClient_round_robins_over_two_real_instances()
    {
        await using var first = await StartEchoAsync("first");
        await using var second = await StartEchoAsync("second");
        using var host = TestClientHost.Create(new()
        {
            ["services:catalog:http:0"] = first.Address.ToString(),
            ["services:catalog:http:1"] = second.Address.ToString(),
        });
        var client = ClientFor(host, "http://catalog");

        var answers = new List<string>();
        for (var call = 0; call < 4; call++)
        {
            answers.Add((await client.GetStringAsync("/whoami", Cancellation)).Split(' ')[0]);
        }

        // Alternating, whichever instance the rotation starts at.
        Assert.Equal(2, answers.Count(answer => answer == "first"));
        Assert.All(answers.Zip(answers.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Fact]
    public async Task An_HttpClient_reaches_an_unconfigured_name_as_given()
    {
        await using var app = await StartEchoAsync("direct");
        using var host = TestClientHost.Create(new() { ["services:catalog:http:0"] = "http://127.0.0.1:1" });

        using var response = await ClientFor(host, $"http://localhost:{app.Address.Port}").GetAsync("/whoami", Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("direct /whoami", await response.Content.ReadAsStringAsync(Cancellation));
    }
}
