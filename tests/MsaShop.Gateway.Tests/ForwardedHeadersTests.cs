using System.Net;
using Microsoft.Extensions.Options;
using MsaShop.Gateway.Tests.Infrastructure;

namespace MsaShop.Gateway.Tests;

/// <summary>
/// The test client connects from 127.0.0.1: configured as a known proxy it stands for an ingress, and
/// the address in its X-Forwarded-For is the client's; not configured, it is an ordinary client whose
/// X-Forwarded-For is anyone's invention.
/// </summary>
public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task Behind_a_known_proxy_each_forwarded_client_has_a_rate_limit_of_its_own()
    {
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?>(RateLimitTests.ThreePerMinute)
        {
            ["Gateway:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetFromAsync(bed, "203.0.113.10")).Response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetFromAsync(bed, "203.0.113.10")).Response.StatusCode);
        var (other, echo) = await GetFromAsync(bed, "203.0.113.11");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        // The service is told about the client too, not about the proxy.
        Assert.Equal("203.0.113.11", echo!.Headers["X-Forwarded-For"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("48")]
    public async Task An_IPv6_client_has_one_budget_for_its_network_not_one_per_address(string? prefixLength)
    {
        var settings =
            new Dictionary<string, string?>(RateLimitTests.ThreePerMinute) { ["Gateway:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" };
        if (prefixLength is not null)
        {
            settings["Gateway:RateLimit:IPv6PrefixLength"] = prefixLength;
        }
        await using var bed = await GatewayTestBed.StartAsync(settings);

        // A new address of the same /64 (or /48) for every request buys no new budget.
        string[] sameNetwork = ["2001:db8:0:1::1", "2001:db8:0:1:aaaa::1", "2001:db8:0:1:ffff:ffff:ffff:ffff", "2001:db8:0:1::9"];
        var statuses = new List<HttpStatusCode>();
        foreach (var address in sameNetwork)
        {
            statuses.Add((await GetFromAsync(bed, address)).Response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        // The next /64 is another client by default, the same one when the network is a /48.
        var expected = prefixLength is null ? HttpStatusCode.OK : HttpStatusCode.TooManyRequests;
        Assert.Equal(expected, (await GetFromAsync(bed, "2001:db8:0:2::1")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetFromAsync(bed, "2001:db8:1::1")).Response.StatusCode);
    }

    [Theory]
    // The client sent a header of its own; the proxy appended the address it saw: that one counts.
    [InlineData("198.51.100.7, 203.0.113.9", "203.0.113.9")]
    // Two proxies in the known network, one behind the other: the address the outer one saw counts.
    [InlineData("198.51.100.7, 127.0.0.2", "198.51.100.7")]
    public async Task Behind_known_proxies_the_client_is_the_last_address_no_known_proxy_vouches_past(string forwardedFor, string client)
    {
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8",
        });

        var (response, echo) = await GetFromAsync(bed, forwardedFor);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(client, echo!.Headers["X-Forwarded-For"]);
    }

    [Fact]
    public async Task Behind_a_known_proxy_network_anonymous_clients_are_spread_over_both_canary_sides()
    {
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8",
            ["Gateway:Canary:Weight"] = "50",
        });

        var versions = await VersionsSeenByAsync(bed, ClientAddresses(20));

        // Each address owns a bucket: at weight 50 both sides are seen (all 20 on one side: p < 2e-6, and
        // the hash is fixed, so it never varies).
        Assert.Equal(["canary", "stable"], versions.Distinct().Order());
    }

    [Theory]
    [InlineData("Gateway:ForwardedHeaders:KnownProxies:0", "10.0.0.4")]
    // Nothing listed: not even loopback, which ASP.NET Core's forwarded headers trust by default.
    [InlineData(null, null)]
    // ASPNETCORE_FORWARDEDHEADERS_ENABLED=true would make ASP.NET Core believe anyone.
    [InlineData("FORWARDEDHEADERS_ENABLED", "true")]
    public async Task X_Forwarded_For_from_an_address_that_is_not_a_known_proxy_is_ignored(string? key, string? value)
    {
        var settings = new Dictionary<string, string?>(RateLimitTests.ThreePerMinute) { ["Gateway:Canary:Weight"] = "50" };
        if (key is not null)
        {
            settings[key] = value;
        }

        await using var bed = await GatewayTestBed.StartAsync(settings);

        // Inventing a new address per request buys no new budget and no other canary side.
        var responses = new List<HttpResponseMessage>();
        foreach (var address in ClientAddresses(4))
        {
            var (response, echo) = await GetFromAsync(bed, address);
            responses.Add(response);
            if (echo is not null)
            {
                Assert.Equal("127.0.0.1", echo.Headers["X-Forwarded-For"]);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            responses.Select(response => response.StatusCode));
        Assert.Single(responses.Take(3).Select(response => Assert.Single(response.Headers.GetValues(FakeService.VersionHeader)))
            .Distinct());
    }

    [Fact]
    public async Task A_known_proxy_that_is_not_an_address_stops_start_up()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?>
            {
                ["Gateway:ForwardedHeaders:KnownNetworks:0"] = "10.244.0.0",
            });
        });

        Assert.Contains("Gateway:ForwardedHeaders: KnownNetworks '10.244.0.0'", error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<string> ClientAddresses(int count) => Enumerable.Range(1, count).Select(i => $"203.0.113.{i}");

    private static Task<(HttpResponseMessage Response, Echo? Echo)> GetFromAsync(GatewayTestBed bed, string clientAddress)
    {
        var request = GatewayTestBed.Request(HttpMethod.Get, "/api/catalog/items");
        request.Headers.Add("X-Forwarded-For", clientAddress);
        return bed.SendAsync(request);
    }

    private static async Task<List<string>> VersionsSeenByAsync(GatewayTestBed bed, IEnumerable<string> clientAddresses)
    {
        var versions = new List<string>();
        foreach (var address in clientAddresses)
        {
            var (response, _) = await GetFromAsync(bed, address);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            versions.Add(Assert.Single(response.Headers.GetValues(FakeService.VersionHeader)));
        }

        return versions;
    }
}
