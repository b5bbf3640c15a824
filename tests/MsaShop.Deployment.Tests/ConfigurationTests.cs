using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests;

/// <summary>
/// The services are configured with the keys Aspire injects; connection strings (they carry passwords) and
/// the JWT signing key come only from Secrets, which production names and dev generates.
/// </summary>
public sealed class ConfigurationTests
{
    public static TheoryData<string> Overlays => Overlay.Names;

    // The connection budget's knobs (ConnectionBudgetTests), set wherever a service has a database.
    private static readonly string[] PoolKeys = ["Messaging__ConcurrentMessageLimit", "Postgres__MaxPoolSize"];

    private static readonly Dictionary<string, string[]> ExpectedKeys = new()
    {
        ["catalog"] = ["CATALOG_VERSION", "ConnectionStrings__cache", "ConnectionStrings__catalogdb", "ConnectionStrings__messaging",
            "Identity__SigningKey", .. PoolKeys],
        ["catalog-canary"] = ["CATALOG_VERSION", "ConnectionStrings__cache", "ConnectionStrings__catalogdb", "ConnectionStrings__messaging",
            "Identity__SigningKey", .. PoolKeys],
        ["ordering"] = ["ConnectionStrings__messaging", "ConnectionStrings__orderingdb", "Identity__SigningKey", .. PoolKeys,
            "services__catalog__http__0"],
        ["payment"] = ["ConnectionStrings__messaging", "ConnectionStrings__paymentdb", "Identity__SigningKey", .. PoolKeys],
        ["gateway"] = ["DOTNET_USE_POLLING_FILE_WATCHER", "GATEWAY_CONFIG_FILE",
            "Gateway__ForwardedHeaders__KnownNetworks__0", "Gateway__ForwardedHeaders__KnownProxies__0", "Identity__SigningKey",
            "services__catalog-canary__http__0", "services__catalog__http__0", "services__ordering__http__0"],
    };

    /// <summary>What an operator creates before applying production (docs/kubernetes.md).</summary>
    private static readonly string[] ProductionSecrets =
        ["cache-connection", "catalogdb-connection", "jwt-signing-key", "messaging-connection", "orderingdb-connection",
            "paymentdb-connection"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Each_service_gets_exactly_the_configuration_keys_Aspire_would_inject(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        var keys = manifests.Services
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

        Assert.All(manifests.Services, workload =>
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
            .Concat(manifests.Workloads.SelectMany(w => w.Containers).SelectMany(c => c["env"]?.AsArray() ?? [])
                .Select(e => (string?)e!["value"] ?? ""));
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

    [Theory]
    [InlineData(Overlay.Production)]
    [InlineData(Overlay.MeshIstio)]
    public async Task Production_syncs_every_Secret_it_references_from_the_vault(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var externalSecrets = manifests.OfKind("ExternalSecret").ToList();
        var store = manifests.Single("SecretStore", "msashop-vault")["spec"]!["provider"]!["azurekv"]!;

        // Each Secret the pods and KEDA read is made by exactly one ExternalSecret, from the vault the settings name.
        Assert.Equal(ProductionSecrets, externalSecrets.Select(e => (string)e["spec"]!["target"]!["name"]!).Order(StringComparer.Ordinal));
        Assert.Equal(RenderedManifests.ClusterSetting(Overlay.Production, "vaultUrl"), (string?)store["vaultUrl"]);
        Assert.Equal("WorkloadIdentity", (string?)store["authType"]);
        Assert.All(externalSecrets, e => Assert.Equal("msashop-vault", (string?)e["spec"]!["secretStoreRef"]!["name"]));
        // ...and every key the manifests read is filled from a vault secret of its own.
        var keys = externalSecrets.SelectMany(e => e["spec"]!["data"]!.AsArray()
            .Select(d =>
                (Secret: (string)e["spec"]!["target"]!["name"]!, Key: (string)d!["secretKey"]!, Remote: (string)d["remoteRef"]!["key"]!)))
                .ToList();
        Assert.Equal(keys.Count, keys.Select(k => k.Remote).Distinct().Count());
        Assert.All(manifests.Services.SelectMany(w => w.Environment.Values).Select(v => v["valueFrom"]?["secretKeyRef"]).OfType<JsonNode>(),
            reference =>
            Assert.Contains(keys, k => k.Secret == (string?)reference["name"] && k.Key == (string?)reference["key"]));
    }

    [Fact]
    public async Task In_dev_each_service_logs_in_as_its_own_role_that_owns_its_database_alone()
    {
        var manifests = await Overlay.RenderAsync(Overlay.Dev);
        var init = DecodedSecret(manifests, manifests.Workload("postgres").PodSpec["volumes"]!.AsArray()
            .Select(v => (string?)v!["secret"]?["secretName"]).OfType<string>().Single()).Values.Single();

        var logins = new[] { ("catalog", "catalogdb"), ("ordering", "orderingdb"), ("payment", "paymentdb") }.Select(service =>
        {
            var variable = manifests.Workload(service.Item1)
                .Environment[$"ConnectionStrings__{service.Item2}"]["valueFrom"]!["secretKeyRef"]!;
            var connection =
                new Npgsql.NpgsqlConnectionStringBuilder(DecodedSecret(manifests, (string)variable["name"]!)[(string)variable["key"]!]);
            Assert.Equal(service.Item2, connection.Database);
            // The server's init script makes that role, with that password, the owner of that database.
            Assert.Contains($"CREATE ROLE {connection.Username} LOGIN PASSWORD '{connection.Password}';", init, StringComparison.Ordinal);
            Assert.Contains($"CREATE DATABASE {connection.Database} OWNER {connection.Username};", init, StringComparison.Ordinal);
            return connection.Username;
        }).ToList();

        Assert.Equal(3, logins.Distinct().Count());
        Assert.DoesNotContain("postgres", logins);
        Assert.Contains("REVOKE ALL ON DATABASE catalogdb, orderingdb, paymentdb FROM PUBLIC;", init, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_gateway_believes_forwarded_headers_only_from_the_pod_network_its_overlay_names(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        // Each overlay says what its cluster's pod network is; none inherits another cluster's (or the base's) value.
        var settings = overlay == Overlay.MeshIstio ? Overlay.Production : overlay;
        Assert.Equal(RenderedManifests.ClusterSetting(settings, "podNetwork"),
            manifests.Workload("gateway").EnvironmentValue("Gateway__ForwardedHeaders__KnownNetworks__0"));
        Assert.NotEqual(RenderedManifests.ClusterSetting(Overlay.Dev, "podNetwork"),
            RenderedManifests.ClusterSetting(Overlay.Production, "podNetwork"));
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
        var signingKeys = manifests.OfKind("Secret")
            .Where(secret => RenderedManifests.NameOf(secret).StartsWith("jwt-signing-key", StringComparison.Ordinal));
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
        var deployments = manifests.Services.ToList();

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
            var selected = deployments.Where(d =>
                LabelSelector.Matches(new JsonObject { ["matchLabels"] = service["spec"]!["selector"]!.DeepClone() }, d.PodLabels));
            Assert.Contains(entry.Service, selected.Select(d => d.Name));
        });
    }

    /// <summary>A rendered Secret's values, decoded.</summary>
    internal static Dictionary<string, string> DecodedSecret(RenderedManifests manifests, string name) =>
        manifests.Single("Secret", name)["data"]!.AsObject().ToDictionary(
            entry => entry.Key, entry => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)entry.Value!)));

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
