using System.Diagnostics;
using System.Net;
using MsaShop.EndToEnd.Tests.Infrastructure;

namespace MsaShop.EndToEnd.Tests;

/// <summary>
/// The gateway sends a weighted share of users (by token subject, sticky) to the catalog canary; the
/// catalog says which version answered in X-Catalog-Version. The weight is live configuration.
/// </summary>
public sealed class CanaryReleaseTests(ShopFixture fixture)
{
    private const string VersionHeader = "X-Catalog-Version";
    private const int Users = 200;
    // 200 users at 20%: 40 expected, binomial standard deviation ≈ 5.7; ±8 points (24..56) is ~2.8σ.
    private const double Tolerance = 0.08;
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_20_percent_canary_gets_about_a_fifth_of_the_users_and_keeps_them()
    {
        var users = Enumerable.Range(0, Users).Select(i => $"canary-user-{i:D3}").ToList();
        try
        {
            // From weight 0, the first canary answer proves the gateway has reloaded the new weight.
            await fixture.GatewayConfig.SetCanaryWeightAsync(20);
            await WaitUntilAsync(async () => (await VersionsAsync(users)).ContainsValue("canary"), "weight 20 to apply");

            var versions = await VersionsAsync(users);
            var share = versions.Values.Count(v => v == "canary") / (double)Users;
            Assert.InRange(share, 0.20 - Tolerance, 0.20 + Tolerance);
            Assert.All(versions.Values, v => Assert.True(v is "stable" or "canary", $"{VersionHeader}: {v}"));

            // Sticky: asking again, every user lands on the same version.
            Assert.Equal(versions, await VersionsAsync(users));
        }
        finally
        {
            await ResetWeightAsync(users);
        }
    }

    [Fact]
    public async Task A_weight_change_applies_without_restarting_the_gateway()
    {
        var users = Enumerable.Range(0, 50).Select(i => $"weight-user-{i:D2}").ToList();
        var gatewayPid = fixture.GatewayPid();
        try
        {
            await fixture.GatewayConfig.SetCanaryWeightAsync(100);
            await WaitUntilAsync(async () => (await VersionsAsync(users)).Values.All(v => v == "canary"), "weight 100 to apply");

            await fixture.GatewayConfig.SetCanaryWeightAsync(0);
            await WaitUntilAsync(async () => (await VersionsAsync(users)).Values.All(v => v == "stable"), "weight 0 to apply");

            Assert.Equal(gatewayPid, fixture.GatewayPid());
        }
        finally
        {
            await ResetWeightAsync(users);
        }
    }

    /// <summary>Which catalog version answered each user's request.</summary>
    private async Task<Dictionary<string, string>> VersionsAsync(IEnumerable<string> users)
    {
        var versions = new Dictionary<string, string>();
        foreach (var user in users)
        {
            using var response = await fixture.Api.SendAsync(HttpMethod.Get, "/api/catalog/items?pageSize=1", Shoppers.CustomerToken(user));
            Assert.True(response.StatusCode == HttpStatusCode.OK,
                $"{user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            versions[user] = response.Headers.TryGetValues(VersionHeader, out var values) ? values.Single() : "(none)";
        }
        return versions;
    }

    private async Task ResetWeightAsync(IEnumerable<string> users)
    {
        await fixture.GatewayConfig.SetCanaryWeightAsync(ShopFixture.DefaultCanaryWeight);
        await WaitUntilAsync(async () => (await VersionsAsync(users)).Values.All(v => v == "stable"), "weight 0 to apply");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < ReloadTimeout, $"timed out after {ReloadTimeout} waiting for {what}");
            await Task.Delay(Shoppers.PollInterval);
        }
    }
}
