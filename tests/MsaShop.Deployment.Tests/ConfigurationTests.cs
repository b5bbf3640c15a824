using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests;

/// <summary>
/// The services are configured with the keys Aspire injects; connection strings (they carry passwords) and
/// the JWT signing key come only from Secrets, which production names and dev generates.
/// </summary>
public sealed class ConfigurationTests
{
    public static TheoryData<string> Overlays => Overlay.Names;

    private static readonly Dictionary<string, string[]> ExpectedKeys = new()
    {
        ["catalog"] = ["CATALOG_VERSION", "ConnectionStrings__cache", "ConnectionStrings__catalogdb", "ConnectionStrings__messaging", "Identity__SigningKey"],
        ["catalog-canary"] = ["CATALOG_VERSION", "ConnectionStrings__cache", "ConnectionStrings__catalogdb", "ConnectionStrings__messaging", "Identity__SigningKey"],
        ["ordering"] = ["ConnectionStrings__messaging", "ConnectionStrings__orderingdb", "Identity__SigningKey", "services__catalog__http__0"],
        ["payment"] = ["ConnectionStrings__messaging", "ConnectionStrings__paymentdb", "Identity__SigningKey"],
        ["gateway"] = ["DOTNET_USE_POLLING_FILE_WATCHER", "GATEWAY_CONFIG_FILE",
            "Gateway__ForwardedHeaders__KnownNetworks__0", "Gateway__ForwardedHeaders__KnownProxies__0", "Identity__SigningKey",
            "services__catalog-canary__http__0", "services__catalog__http__0", "services__ordering__http__0"],
    };

    /// <summary>What an operator creates before applying production (docs/kubernetes.md).</summary>
    private static readonly string[] ProductionSecrets =
        ["cache-connection", "catalogdb-connection", "jwt-signing-key", "messaging-connection", "orderingdb-connection", "paymentdb-connection"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Each_service_gets_exactly_the_configuration_keys_Aspire_would_inject(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        var keys = manifests.OfKind("Deployment").Select(d => new Workload(d))
            .ToDictionary(w => w.Name, w => w.Environment.Keys.Order(StringComparer.Ordinal).ToArray());

        Assert.Equal(ExpectedKeys.OrderBy(e => e.Key), keys.OrderBy(e => e.Key));
        Assert.Equal("stable", manifests.Workload("catalog").EnvironmentValue("CATALOG_VERSION"));
        Assert.Equal("canary", manifests.Workload("catalog-canary").EnvironmentValue("CATALOG_VERSION"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Connection_strings_and_the_signing_key_come_only_from_Secrets(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.All(manifests.OfKind("Deployment").Select(d => new Workload(d)), workload =>
        {
            foreach (var (name, variable) in workload.Environment)
            {
                if (name.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || name == "Identity__SigningKey")
                {
                    Assert.True(variable["valueFrom"]?["secretKeyRef"] is not null, $"{workload}: {name} is not a Secret reference");
                }
            }
        });
        var plainText = manifests.OfKind("ConfigMap").SelectMany(c => c["data"]?.AsObject() ?? [])
            .Select(entry => entry.Value?.ToString() ?? "")
            .Concat(manifests.Workloads.SelectMany(w => w.Containers).SelectMany(c => c["env"]?.AsArray() ?? []).Select(e => (string?)e!["value"] ?? ""));
        Assert.All(plainText, value => Assert.DoesNotContain("password", value, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(Overlay.Production)]
    [InlineData(Overlay.MeshIstio)]
    public async Task Production_names_its_Secrets_and_holds_no_value(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.Empty(manifests.OfKind("Secret"));
        Assert.Equal(ProductionSecrets, ReferencedSecrets(manifests));
    }

    [Fact]
    public async Task Dev_generates_every_Secret_it_references_each_labelled_dev_only()
    {
        var manifests = await Overlay.RenderAsync(Overlay.Dev);
        var secrets = manifests.OfKind("Secret").ToList();

        Assert.All(ReferencedSecrets(manifests), name => Assert.Contains(name, secrets.Select(RenderedManifests.NameOf)));
        Assert.All(secrets, secret => Assert.Equal("dev-only", (string?)secret["metadata"]!["labels"]?["msashop-values"]));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task A_signing_key_value_is_rendered_only_where_the_services_run_in_Development(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        // A key written in the repository is public, and the services refuse one outside Development.
        var signingKeys = manifests.OfKind("Secret").Where(secret => RenderedManifests.NameOf(secret).StartsWith("jwt-signing-key", StringComparison.Ordinal));
        if (signingKeys.Any())
        {
            Assert.Equal("Development", (string?)manifests.Single("ConfigMap", "msashop-runtime")["data"]?["ASPNETCORE_ENVIRONMENT"]);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Discovery_keys_name_Services_that_select_the_pods_of_that_name(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var deployments = manifests.OfKind("Deployment").Select(d => new Workload(d)).ToList();

        var addresses = deployments.SelectMany(w => w.Environment)
            .Where(e => e.Key.StartsWith("services__", StringComparison.Ordinal))
            .Select(e => (Service: e.Key.Split("__")[1], Address: new Uri((string)e.Value["value"]!)))
            .ToList();

        Assert.NotEmpty(addresses);
        Assert.All(addresses, entry =>
        {
            // The service name is the host: what plain DNS resolves too, on the Service's port.
            Assert.Equal(entry.Service, entry.Address.Host);
            var service = manifests.Single("Service", entry.Service);
            Assert.Contains(service["spec"]!["ports"]!.AsArray(), port => (int?)port!["port"] == entry.Address.Port);
            var selected = deployments.Where(d => LabelSelector.Matches(new JsonObject { ["matchLabels"] = service["spec"]!["selector"]!.DeepClone() }, d.PodLabels));
            Assert.Contains(entry.Service, selected.Select(d => d.Name));
        });
    }

    private static string[] ReferencedSecrets(RenderedManifests manifests)
    {
        var fromPods = manifests.Workloads.SelectMany(w => w.Containers).SelectMany(container =>
            (container["env"]?.AsArray() ?? []).Select(e => (string?)e!["valueFrom"]?["secretKeyRef"]?["name"])
                .Concat((container["envFrom"]?.AsArray() ?? []).Select(e => (string?)e!["secretRef"]?["name"])));
        var fromKeda = manifests.OfKind("TriggerAuthentication")
            .SelectMany(t => t["spec"]!["secretTargetRef"]!.AsArray()).Select(r => (string?)r!["name"]);
        return [.. fromPods.Concat(fromKeda).OfType<string>().Distinct().Order(StringComparer.Ordinal)];
    }
}
