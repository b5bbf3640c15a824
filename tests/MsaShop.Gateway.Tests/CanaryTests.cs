using System.Collections.Concurrent;
using System.Net;
using MsaShop.Gateway.Tests.Infrastructure;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.Tokens;

namespace MsaShop.Gateway.Tests;

public sealed class CanaryTests
{
    [Fact]
    public async Task Weight_20_sends_about_a_fifth_of_users_to_the_canary_and_each_user_stays_on_their_side()
    {
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?> { ["Gateway:Canary:Weight"] = "20" });
        var users = Enumerable.Range(0, 1000).Select(i => $"customer-{i}").ToList();

        var firstSide = new Dictionary<string, string>();
        foreach (var user in users)
        {
            firstSide[user] = await VersionSeenByAsync(bed, user);
        }

        // 1000 users, each in the canary with probability 0.2: the standard deviation is 1.3 points,
        // so 12..28 % is six of them either side.
        var canaryShare = firstSide.Values.Count(version => version == "canary") / 10.0;
        Assert.InRange(canaryShare, 12, 28);
        foreach (var user in users.Take(200))
        {
            Assert.Equal(firstSide[user], await VersionSeenByAsync(bed, user));
        }
    }

    [Fact]
    public async Task X_Canary_from_an_admin_forces_either_side_whatever_the_weight()
    {
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?> { ["Gateway:Canary:Weight"] = "0" });
        var admin = DevelopmentTokens.Create("operator-1", "admin");

        var (toCanary, canaryEcho) = await bed.GetAsync("/api/catalog/items", admin, canary: "always");
        Assert.Equal(HttpStatusCode.OK, toCanary.StatusCode);
        Assert.Equal("catalog-canary", canaryEcho!.Instance);
        Assert.Equal("canary", Assert.Single(toCanary.Headers.GetValues(FakeService.VersionHeader)));

        var (toStable, stableEcho) = await bed.GetAsync("/api/catalog/items", admin, canary: "never");
        Assert.Equal("stable", Assert.Single(toStable.Headers.GetValues(FakeService.VersionHeader)));
        Assert.NotEqual("catalog-canary", stableEcho!.Instance);
    }

    [Fact]
    public async Task X_Canary_always_from_an_anonymous_caller_or_a_customer_is_ignored()
    {
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?> { ["Gateway:Canary:Weight"] = "0" });

        var (anonymous, _) = await bed.GetAsync("/api/catalog/items", canary: "always");
        var (customer, _) = await bed.GetAsync("/api/catalog/items", DevelopmentTokens.Create("customer-1"), canary: "always");

        Assert.Equal("stable", Assert.Single(anonymous.Headers.GetValues(FakeService.VersionHeader)));
        Assert.Equal("stable", Assert.Single(customer.Headers.GetValues(FakeService.VersionHeader)));
        Assert.Empty(bed.CatalogCanary.Received);
    }

    [Fact]
    public async Task After_a_blue_green_switch_X_Canary_never_reaches_stable_for_an_admin_only()
    {
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?> { ["Gateway:Canary:Weight"] = "100" });

        var (admin, _) = await bed.GetAsync("/api/catalog/items", DevelopmentTokens.Create("operator-1", "admin"), canary: "never");
        var (customer, _) = await bed.GetAsync("/api/catalog/items", DevelopmentTokens.Create("customer-1"), canary: "never");

        Assert.Equal("stable", Assert.Single(admin.Headers.GetValues(FakeService.VersionHeader)));
        Assert.Equal("canary", Assert.Single(customer.Headers.GetValues(FakeService.VersionHeader)));
    }

    [Fact]
    public async Task Canary_applies_to_the_catalog_only()
    {
        await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?> { ["Gateway:Canary:Weight"] = "100" });

        var (_, echo) = await bed.GetAsync("/api/orders", DevelopmentTokens.Create("customer-1"));

        Assert.Equal("ordering", echo!.Instance);
    }

    [Fact]
    public async Task Weight_written_to_the_config_file_shifts_and_rolls_back_live_without_a_failed_request()
    {
        // The file does not exist yet: the weight comes from the environment until it is written.
        var directory = Directory.CreateTempSubdirectory("msashop-gateway-");
        var configFile = Path.Combine(directory.FullName, "gateway.json");
        try
        {
            await using var bed = await GatewayTestBed.StartAsync(new Dictionary<string, string?>
            {
                ["Gateway:ConfigFile"] = configFile,
                ["Gateway:Canary:Weight"] = "0",
            });
            var tokens = Enumerable.Range(0, 20).Select(i => DevelopmentTokens.Create($"customer-{i}")).ToList();
            var failures = new ConcurrentQueue<string>();
            var latestVersions = new ConcurrentDictionary<int, string>();

            // Traffic keeps flowing while the file is rewritten: every response must be a success.
            using var stopTraffic = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var traffic = Task.Run(async () =>
            {
                for (var i = 0; !stopTraffic.IsCancellationRequested; i = (i + 1) % tokens.Count)
                {
                    var (response, _) = await bed.GetAsync("/api/catalog/items", tokens[i]);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Enqueue($"{(int)response.StatusCode} for customer-{i}");
                    }

                    latestVersions[i] = response.Headers.TryGetValues(FakeService.VersionHeader, out var versions)
                        ? string.Join(",", versions)
                        : "none";
                }
            }, TestContext.Current.CancellationToken);

            try
            {
                await Eventually.TrueAsync(() => EveryUserSeesAsync(latestVersions, tokens.Count, "stable"),
                    "every user is on stable at weight 0");

                await WriteWeightAsync(configFile, 100);
                await Eventually.TrueAsync(() => EveryUserSeesAsync(latestVersions, tokens.Count, "canary"),
                    "every user is on the canary at weight 100");

                await WriteWeightAsync(configFile, 0);
                await Eventually.TrueAsync(() => EveryUserSeesAsync(latestVersions, tokens.Count, "stable"),
                    "every user is back on stable after the rollback");
            }
            finally
            {
                await stopTraffic.CancelAsync();
            }

            await traffic;
            Assert.Empty(failures);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // Forgets what was seen so far and looks again at what every user gets now.
    private static async Task<bool> EveryUserSeesAsync(ConcurrentDictionary<int, string> latestVersions, int users, string version)
    {
        latestVersions.Clear();
        await Task.Delay(300, TestContext.Current.CancellationToken);
        return latestVersions.Count == users && latestVersions.Values.All(seen => seen == version);
    }

    private static async Task<string> VersionSeenByAsync(GatewayTestBed bed, string user)
    {
        var (response, _) = await bed.GetAsync("/api/catalog/items", DevelopmentTokens.Create(user));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(response.Headers.GetValues(FakeService.VersionHeader));
    }

    // Written aside and renamed into place, as an operator (or the local runner) does, so no half file is ever read.
    private static async Task WriteWeightAsync(string path, int weight)
    {
        var aside = $"{path}.{weight}.tmp";
        await File.WriteAllTextAsync(aside, $$"""{ "Gateway": { "Canary": { "Weight": {{weight}} } } }""",
            TestContext.Current.CancellationToken);
        File.Move(aside, path, overwrite: true);
    }
}
