using System.Globalization;
using System.Text;
using MsaShop.Deployment.Tests.Tools;

namespace MsaShop.Deployment.Tests.AzureContainerApps;

/// <summary>
/// infra/ compiles with the Bicep CLI without a single warning, and every container app template is a valid
/// Microsoft.App/containerApps resource of its api-version: each template, filled the way azd fills it, is
/// compiled as a Bicep resource, so an unknown property, a wrong type or a missing field fails the test.
/// </summary>
public sealed class BicepTests
{
    // Values azd's environment would hold after `azd provision`, to fill the templates with.
    private static readonly Dictionary<string, string> SampleEnvironment = new()
    {
        ["AZURE_LOCATION"] = "westeurope",
        ["AZURE_CONTAINER_APPS_ENVIRONMENT_ID"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-msashop" +
            "/providers/Microsoft.App/managedEnvironments/cae-example",
        ["AZURE_CONTAINER_APPS_ENVIRONMENT_DEFAULT_DOMAIN"] = "example.westeurope.azurecontainerapps.io",
        ["AZURE_CONTAINER_REGISTRY_ENDPOINT"] = "acrexample.azurecr.io",
        ["AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-msashop" +
            "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi-example",
        ["AZURE_KEY_VAULT_ENDPOINT"] = "https://kvexample.vault.azure.net/",
    };

    // Set by azd itself in every environment, not by main.bicep.
    private static readonly string[] AzdEnvironmentValues = ["AZURE_ENV_NAME", "AZURE_LOCATION", "AZURE_SUBSCRIPTION_ID"];

    [Fact]
    public async Task Infra_compiles_without_a_diagnostic()
    {
        var infra = await Infrastructure.CompileAsync();

        Assert.Empty(infra.Diagnostics);
    }

    [Fact]
    public async Task Every_container_app_template_compiles_as_a_container_app_resource()
    {
        var apps = ContainerApp.All().Values.ToList();

        var compilation = await CompileAsResourcesAsync(apps.Select(app => (app.Name, app.ApiVersion, Filled(app))));

        Assert.NotEmpty(apps);
        Assert.Empty(compilation.Diagnostics);
    }

    [Fact]
    public async Task The_template_check_rejects_unknown_properties_and_wrong_types()
    {
        var catalog = ContainerApp.All()["catalog"];
        var unknown = Filled(catalog);
        unknown["properties"]!["configuration"]!["ingress"]!["sticky"] = true;
        var wrongType = Filled(catalog);
        wrongType["properties"]!["template"]!["scale"]!["minReplicas"] = "two";
        var wrongProbe = Filled(catalog);
        wrongProbe["properties"]!["template"]!["containers"]![0]!["probes"]![0]!["httpGet"]!["port"] = "http";

        var compilation = await CompileAsResourcesAsync([
            ("unknown", catalog.ApiVersion, unknown), ("wrong-type", catalog.ApiVersion, wrongType),
            ("wrong-probe", catalog.ApiVersion, wrongProbe)]);

        Assert.Contains(compilation.Diagnostics, d =>
            d.Contains("BCP037", StringComparison.Ordinal) && d.Contains("\"sticky\"", StringComparison.Ordinal));
        Assert.Contains(compilation.Diagnostics, d =>
            d.Contains("BCP036", StringComparison.Ordinal) && d.Contains("\"minReplicas\"", StringComparison.Ordinal));
        Assert.Contains(compilation.Diagnostics, d =>
            d.Contains("BCP036", StringComparison.Ordinal) && d.Contains("\"port\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_value_a_template_takes_from_azds_environment_is_an_output_of_main_bicep()
    {
        var infra = await Infrastructure.CompileAsync();
        var provided = infra.Outputs.Concat(AzdEnvironmentValues).ToHashSet();

        var unprovided = ContainerApp.All().Values
            .SelectMany(app => AzdTemplate.EnvironmentNames(app.Template.ToJsonString())
                .Where(name => !provided.Contains(name))
                .Select(name => $"{app.Name} reads {name}"))
            .ToList();

        Assert.True(unprovided.Count == 0, string.Join('\n', unprovided));
    }

    // The template with each placeholder replaced as azd replaces it.
    private static JsonObject Filled(ContainerApp app)
    {
        var image = $"{SampleEnvironment["AZURE_CONTAINER_REGISTRY_ENDPOINT"]}/msashop/{app.Name}:example";
        return JsonNode.Parse(AzdTemplate.Fill(app.Template.ToJsonString(), image, SampleEnvironment))!.AsObject();
    }

    private static async Task<BicepCli.Compilation> CompileAsResourcesAsync(
        IEnumerable<(string Name, string ApiVersion, JsonObject Template)> apps)
    {
        var directory = Directory.CreateTempSubdirectory("msashop-container-apps-");
        try
        {
            var bicep = new StringBuilder();
            var index = 0;
            foreach (var (name, apiVersion, template) in apps)
            {
                var body = template.DeepClone().AsObject();
                body.Remove("api-version");
                body.Insert(0, "name", name);
                bicep.Append(CultureInfo.InvariantCulture, $"resource app{index++} 'Microsoft.App/containerApps@{apiVersion}' = ")
                    .Append(BicepLiteral.Of(body, 0)).Append('\n');
            }

            var file = Path.Combine(directory.FullName, "container-apps.bicep");
            await File.WriteAllTextAsync(file, bicep.ToString());
            // Types only: the linter's style rules are about authored Bicep, not about these generated lines.
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "bicepconfig.json"),
                """{ "analyzers": { "core": { "enabled": false } } }""");
            return await BicepCli.BuildAsync(file);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
