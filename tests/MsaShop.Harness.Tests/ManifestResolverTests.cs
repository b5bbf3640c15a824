using MsaShop.Testing;

namespace MsaShop.Harness.Tests;

/// <summary>The AppHost's own manifest, its expressions resolved against made-up servers and instances.</summary>
public sealed class ManifestResolverTests
{
    private static readonly Dictionary<string, string> ConnectionStrings = new()
    {
        ["catalogdb"] = "Host=127.0.0.1;Port=1;Database=catalogdb",
        ["orderingdb"] = "Host=127.0.0.1;Port=1;Database=orderingdb",
        ["paymentdb"] = "Host=127.0.0.1;Port=1;Database=paymentdb",
        ["cache"] = "127.0.0.1:2",
        ["messaging"] = "amqp://guest:guest@127.0.0.1:3/",
    };

    private static readonly Dictionary<string, Uri[]> Instances = new()
    {
        ["catalog"] = [new("http://127.0.0.1:5001/"), new("http://127.0.0.1:5002/")],
        ["catalog-canary"] = [new("http://127.0.0.1:5003/")],
        ["ordering"] = [new("http://127.0.0.1:5004/")],
    };

    [Fact]
    public async Task Every_variable_of_every_project_resolves_against_the_runners_servers_and_instances()
    {
        var manifest = await PublishedManifest.OfThisBuildAsync();
        var resolver = Resolver(manifest);

        var own = new Uri("http://127.0.0.1:6000/");
        var environments = manifest.Projects.ToDictionary(project => project, project => resolver.EnvironmentOf(project, own));

        Assert.Equal(["catalog", "catalog-canary", "gateway", "ordering", "payment"], environments.Keys.Order());
        Assert.All(environments.Values.SelectMany(e => e.Values), value => Assert.DoesNotContain("{", value, StringComparison.Ordinal));
        Assert.Equal(ConnectionStrings["catalogdb"], environments["catalog"]["ConnectionStrings__catalogdb"]);
        Assert.Equal(ConnectionStrings["cache"], environments["catalog-canary"]["ConnectionStrings__cache"]);
        Assert.Equal(("stable", "canary"), (environments["catalog"]["CATALOG_VERSION"], environments["catalog-canary"]["CATALOG_VERSION"]));
        Assert.Equal("6000", environments["payment"]["HTTP_PORTS"]);
        Assert.Equal("the run's key", environments["gateway"]["Identity__SigningKey"]);
        Assert.Equal("0", environments["gateway"]["Gateway__Canary__Weight"]);
        // No proxy in front of the replicas: each is listed; https is not served, so its keys are left out.
        Assert.Equal(
            ["http://127.0.0.1:5001", "http://127.0.0.1:5002"],
            environments["ordering"].Where(v => v.Key.StartsWith("services__catalog__", StringComparison.Ordinal))
                .OrderBy(v => v.Key).Select(v => v.Value));
        Assert.Equal("http://127.0.0.1:5003", environments["gateway"]["services__catalog-canary__http__0"]);
        Assert.DoesNotContain(environments.Values.SelectMany(e => e.Keys), key => key.Contains("__https__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_name_the_manifest_does_not_have_or_an_expression_no_runner_resolves_is_an_error()
    {
        var manifest = (await PublishedManifest.OfThisBuildAsync()).Clone();
        var own = new Uri("http://127.0.0.1:1/");

        Assert.Throws<KeyNotFoundException>(
            () => Resolver(manifest, connectionStrings: new(ConnectionStrings) { ["shipmentdb"] = "Host=x" }));
        Assert.Throws<KeyNotFoundException>(() => Resolver(manifest, parameters: new() { ["jwt-signing-kee"] = "typo" }));
        Assert.Throws<KeyNotFoundException>(() => Resolver(manifest, parameters: new() { ["catalog"] = "a project" }));
        // No value for a parameter that has no default.
        Assert.Throws<InvalidOperationException>(() => Resolver(manifest, parameters: []).EnvironmentOf("payment", own));
        // No server for a container resource.
        Assert.Throws<InvalidOperationException>(() =>
            Resolver(manifest, connectionStrings: new(ConnectionStrings.Where(c => c.Key != "cache"))).EnvironmentOf("catalog", own));

        manifest.Resources["payment"]!["env"]!["Payment__Grpc"] = "{catalog.bindings.grpc.url}";
        manifest.Resources["ordering"]!["env"]!["Ordering__Shipping"] = "{shipping.bindings.http.url}";

        Assert.Throws<InvalidOperationException>(() => Resolver(manifest).EnvironmentOf("payment", own));
        Assert.Throws<KeyNotFoundException>(() => Resolver(manifest).EnvironmentOf("ordering", own));
    }

    [Fact]
    public async Task Settings_for_a_project_the_manifest_does_not_run_or_for_a_variable_it_sets_are_refused_before_anything_starts()
    {
        var manifest = await PublishedManifest.OfThisBuildAsync();
        DeployedShopOptions Options(string project, string variable) => new()
        {
            RepositoryRoot = RepositoryRoot.Path,
            Manifest = manifest,
            Settings = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                [project] = new Dictionary<string, string> { [variable] = "1" },
            },
        };

        var cancellation = TestContext.Current.CancellationToken;
        await Assert.ThrowsAsync<KeyNotFoundException>(() => DeployedShop.StartAsync(Options("basket", "Basket__Size"), cancellation));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DeployedShop.StartAsync(Options("gateway", "Identity__SigningKey"), cancellation));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => DeployedShop.StartAsync(Options("gateway", "X") with
        {
            Replicas = new Dictionary<string, int> { ["catalogue"] = 2 },
        }, cancellation));
    }

    [Fact]
    public async Task The_manifest_is_published_once_per_AppHost_build_and_read_from_beside_it_after_that()
    {
        var first = await PublishedManifest.OfThisBuildAsync();
        var published = Directory.GetFiles(first.Directory, "aspire-manifest.*.json")
            .Where(file => !file.EndsWith(".tmp.json", StringComparison.Ordinal)).ToList();
        var writes = published.ToDictionary(file => file, File.GetLastWriteTimeUtc);

        var second = await AppHostManifest.OfBuildAsync(
            RepositoryRoot.Path, PublishedManifest.Configuration, TestContext.Current.CancellationToken);

        Assert.NotEmpty(published);
        Assert.Equal(writes, published.ToDictionary(file => file, File.GetLastWriteTimeUtc));
        Assert.Equal(first.Resources.ToJsonString(), second.Resources.ToJsonString());
        Assert.Contains("jwt-signing-key", first.Resources.Select(r => r.Key));
    }

    private static ManifestResolver Resolver(
        AppHostManifest manifest, Dictionary<string, string>? connectionStrings = null, Dictionary<string, string>? parameters = null) =>
        new(manifest, connectionStrings ?? ConnectionStrings, parameters ?? new() { ["jwt-signing-key"] = "the run's key" },
            (resource, binding) => binding == "http" ? Instances.GetValueOrDefault(resource) ?? [] : null);
}
