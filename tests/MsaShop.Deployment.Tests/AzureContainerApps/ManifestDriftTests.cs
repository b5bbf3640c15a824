namespace MsaShop.Deployment.Tests.AzureContainerApps;

/// <summary>
/// infra/ is written by hand, as `azd infra gen` would write it, and kept in step with the AppHost: the
/// manifest is regenerated from the AppHost on every run and each of its resources, bindings, environment
/// variables and parameters must have its counterpart (<see cref="InfraDrift"/>), so that a change
/// to the topology that infra/ does not follow fails here rather than on `azd up`.
/// </summary>
public sealed class ManifestDriftTests
{
    [Fact]
    public async Task Every_resource_binding_variable_and_parameter_of_the_AppHost_manifest_has_its_counterpart_in_infra()
    {
        var manifest = (await PublishedManifest.OfThisBuildAsync()).Resources;

        var problems = await ProblemsAsync(manifest);

        Assert.True(problems.Count == 0, "infra/ does not follow the AppHost:\n" + string.Join('\n', problems));
        Assert.Contains("catalog", manifest.Select(resource => resource.Key));
    }

    [Fact]
    public async Task A_new_resource_variable_binding_or_parameter_in_the_manifest_is_reported()
    {
        var manifest = (await PublishedManifest.OfThisBuildAsync()).Resources.DeepClone().AsObject();
        manifest["basket"] = new JsonObject { ["type"] = "project.v0", ["path"] = "basket.csproj" };
        manifest["catalog"]!["env"]!["Catalog__PageSize"] = "50";
        manifest["payment"]!["env"]!["services__ordering__http__0"] = "{ordering.bindings.http.url}";
        manifest["ordering"]!["env"]!["ConnectionStrings__paymentdb"] = "{paymentdb.connectionString}";
        manifest["gateway"]!["env"]!["Gateway__Canary__Weight"] = "{gateway-canary-weight.inputs.value}";
        manifest["shipmentdb"] = ConnectionStringParameter("shipmentdb");
        manifest["gateway-rate-limit"] = new JsonObject
        {
            ["type"] = "parameter.v0",
            ["value"] = "{gateway-rate-limit.inputs.value}",
            ["inputs"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "string" } },
        };
        manifest["messaging"]!["bindings"]!["management"] = new JsonObject
        {
            ["scheme"] = "http", ["protocol"] = "tcp", ["transport"] = "http", ["targetPort"] = 15672, ["external"] = true,
        };

        var problems = await ProblemsAsync(manifest);

        Assert.Contains(problems, p => p.StartsWith("basket: no AppHost/infra/basket.tmpl.yaml", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("catalog: environment variable Catalog__PageSize", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("payment: environment variable services__ordering__http__0", StringComparison.Ordinal));
        Assert.Contains(problems, p =>
            p.StartsWith("ordering: environment variable ConnectionStrings__paymentdb", StringComparison.Ordinal));
        Assert.Contains(problems, p =>
            p.StartsWith("gateway: environment variable Gateway__Canary__Weight: no rule", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("shipmentdb: the PostgreSQL module creates no database", StringComparison.Ordinal));
        Assert.Contains(problems, p =>
            p.StartsWith("gateway-rate-limit: main.bicep has no parameter gateway_rate_limit", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("messaging: ingress external must be true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_template_that_disagrees_with_the_manifest_is_reported()
    {
        var manifest = (await PublishedManifest.OfThisBuildAsync()).Resources;
        var apps = ContainerApp.All().ToDictionary();
        apps["catalog"] = Changed(apps["catalog"], app =>
        {
            app["properties"]!["template"]!["containers"]![0]!["env"]!.AsArray()
                .Single(variable => (string?)variable!["name"] == "CATALOG_VERSION")!["value"] = "canary";
            app["properties"]!["configuration"]!["ingress"]!["allowInsecure"] = false;
        });
        apps["payment"] = Changed(apps["payment"], app =>
            app["properties"]!["configuration"]!["ingress"] = new JsonObject { ["external"] = false, ["targetPort"] = 8080 });
        apps["cache"] = Changed(apps["cache"], app =>
            app["properties"]!["template"]!["containers"]![0]!["args"]![1] = "redis-server");
        apps["gateway"] = Changed(apps["gateway"], app =>
        {
            var container = app["properties"]!["template"]!["containers"]![0]!;
            container["env"]!.AsArray()
                .Single(variable => (string?)variable!["name"] == "Identity__SigningKey")!["secretRef"] = "connectionstrings--messaging";
            container["env"]!.AsArray().Single(variable => (string?)variable!["name"] == "HTTP_PORTS")!["value"] = "80";
        });
        apps.Remove("messaging");

        var problems = new InfraDrift(manifest, apps, await Infrastructure.CompileAsync()).Problems();

        Assert.Contains(problems, p => p.StartsWith("catalog: environment variable CATALOG_VERSION", StringComparison.Ordinal));
        Assert.Contains(problems, p =>
            p.StartsWith("ordering: environment variable services__catalog__http__0: plain http to catalog", StringComparison.Ordinal));
        Assert.Contains(problems, p =>
            p.StartsWith("payment: nothing reaches it through a binding, so it should have no ingress", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("cache: the container's command and args", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("gateway: environment variable Identity__SigningKey", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("gateway: environment variable HTTP_PORTS", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("messaging: no AppHost/infra/messaging.tmpl.yaml", StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<string>> ProblemsAsync(JsonObject manifest) =>
        new InfraDrift(manifest, ContainerApp.All(), await Infrastructure.CompileAsync()).Problems();

    private static ContainerApp Changed(ContainerApp app, Action<JsonObject> change)
    {
        var template = app.Template.DeepClone().AsObject();
        change(template);
        return new ContainerApp(app.Name, template);
    }

    private static JsonObject ConnectionStringParameter(string name) => new()
    {
        ["type"] = "parameter.v0",
        ["connectionString"] = $"{{{name}.value}}",
        ["value"] = $"{{{name}.inputs.value}}",
        ["inputs"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "string", ["secret"] = true } },
    };
}
