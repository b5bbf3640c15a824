using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MsaShop.ServiceDefaults.Discovery;

namespace MsaShop.ServiceDefaults.Tests;

public sealed class ServiceDiscoveryTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static ConfigurationServiceEndpointResolver Resolver(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    [Fact]
    public void Resolves_indexed_keys_and_keeps_path_and_query()
    {
        var resolver = Resolver(new() { ["services:catalog:http:0"] = "http://127.0.0.1:5101" });

        Assert.Equal(new Uri("http://127.0.0.1:5101/api/items?page=2"), resolver.Resolve(new Uri("http://catalog/api/items?page=2")));
    }

    [Fact]
    public void An_empty_parent_value_beside_indexed_keys_is_ignored()
    {
        // WebApplicationFactory.UseSetting("services:catalog:http:0", ...) also creates "services:catalog:http" = "".
        var resolver = Resolver(new() { ["services:catalog:http"] = "", ["services:catalog:http:0"] = "http://127.0.0.1:5101" });

        Assert.Equal(new Uri("http://127.0.0.1:5101/items"), resolver.Resolve(new Uri("http://catalog/items")));
    }

    [Fact]
    public void Resolves_a_single_value_holding_a_list_of_instances()
    {
        var resolver = Resolver(new() { ["services:catalog:http"] = "http://127.0.0.1:5101; http://127.0.0.1:5102" });

        Assert.Equal(
            [new Uri("http://127.0.0.1:5101/"), new Uri("http://127.0.0.1:5102/")],
            resolver.ResolveAll(new Uri("http://catalog")));
    }

    [Fact]
    public void Https_is_preferred_for_https_plus_http_and_http_is_the_fallback()
    {
        var both = Resolver(new()
        {
            ["services:catalog:http:0"] = "http://127.0.0.1:5101",
            ["services:catalog:https:0"] = "https://127.0.0.1:7101",
        });
        var httpOnly = Resolver(new() { ["services:catalog:http:0"] = "http://127.0.0.1:5101" });

        Assert.Equal(new Uri("https://127.0.0.1:7101/items"), both.Resolve(new Uri("https+http://catalog/items")));
        Assert.Equal(
            [new Uri("https://127.0.0.1:7101/"), new Uri("http://127.0.0.1:5101/")],
            both.ResolveAll(new Uri("https+http://catalog")));
        Assert.Equal(new Uri("http://127.0.0.1:5101/items"), httpOnly.Resolve(new Uri("https+http://catalog/items")));
    }

    [Fact]
    public void A_name_absent_from_configuration_passes_through_to_DNS()
    {
        var resolver = Resolver(new() { ["services:catalog:http:0"] = "http://127.0.0.1:5101" });

        Assert.Equal(new Uri("http://ordering:8080/api/orders"), resolver.Resolve(new Uri("http://ordering:8080/api/orders")));
        Assert.Equal(new Uri("http://ordering/api/orders"), resolver.Resolve(new Uri("https+http://ordering/api/orders")));
        Assert.Equal([new Uri("http://ordering/")], resolver.ResolveAll(new Uri("http://ordering")));
    }

    [Fact]
    public void A_configured_name_without_an_endpoint_for_the_scheme_fails_naming_the_missing_key()
    {
        var resolver = Resolver(new() { ["services:catalog:https:0"] = "https://127.0.0.1:7101" });

        var error = Assert.Throws<InvalidOperationException>(() => resolver.Resolve(new Uri("http://catalog/items")));
        Assert.Contains("services:catalog:http", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_HttpClient_round_robins_over_two_real_instances()
    {
        await using var first = await TestApp.StartAsync(web => web.MapGet("/whoami", () => "first"));
        await using var second = await TestApp.StartAsync(web => web.MapGet("/whoami", () => "second"));
        using var host = TestClientHost.Create(new()
        {
            ["services:catalog:http:0"] = first.Address.ToString(),
            ["services:catalog:http:1"] = second.Address.ToString(),
        });
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("catalog");
        client.BaseAddress = new Uri("http://catalog");

        var answers = new List<string>();
        for (var call = 0; call < 4; call++)
        {
            answers.Add(await client.GetStringAsync("/whoami", Cancellation));
        }

        Assert.Equal(["first", "second", "first", "second"], answers);
    }

    [Fact]
    public async Task An_HttpClient_reaches_an_unconfigured_name_as_given()
    {
        await using var app = await TestApp.StartAsync(web => web.MapGet("/whoami", () => "direct"));
        using var host = TestClientHost.Create(new() { ["services:catalog:http:0"] = "http://127.0.0.1:1" });
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        Assert.Equal("direct", await client.GetStringAsync(new Uri(app.Address, "/whoami"), Cancellation));
    }
}
