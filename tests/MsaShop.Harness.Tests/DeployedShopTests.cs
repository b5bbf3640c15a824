using System.Text;
using System.Text.Json.Nodes;
using MsaShop.Testing;

namespace MsaShop.Harness.Tests;

/// <summary>The shop as deployed takes each service's environment from the AppHost's manifest, whatever the manifest holds.</summary>
public sealed class DeployedShopTests
{
    [Fact]
    public async Task A_variable_added_to_the_manifest_reaches_the_process_of_every_instance_of_every_project()
    {
        var manifest = (await PublishedManifest.OfThisBuildAsync()).Clone();
        manifest.Resources["drift-probe"] = new JsonObject
        {
            ["type"] = "parameter.v0",
            ["value"] = "{drift-probe.inputs.value}",
            ["inputs"] = new JsonObject
            {
                ["value"] = new JsonObject { ["type"] = "string", ["default"] = new JsonObject { ["value"] = "42" } },
            },
        };
        foreach (var project in manifest.Projects)
        {
            manifest.Resources[project]!["env"]!["Drift__Literal"] = $"told to {project}";
            manifest.Resources[project]!["env"]!["Drift__Parameter"] = "{drift-probe.value}";
        }

        await using var shop = await DeployedShop.StartAsync(new DeployedShopOptions
        {
            RepositoryRoot = RepositoryRoot.Path,
            Manifest = manifest,
            CatalogCanary = true,
            Replicas = new Dictionary<string, int> { ["catalog"] = 2, ["ordering"] = 1 },
        }, TestContext.Current.CancellationToken);

        Assert.Equal(
            ["catalog-0", "catalog-1", "catalog-canary", "gateway", "ordering-0", "payment"], shop.Processes.Select(p => p.Name).Order());
        foreach (var project in manifest.Projects)
        {
            foreach (var instance in shop.InstancesOf(project))
            {
                var environment = EnvironmentOfProcess(shop.Process(instance).Pid);
                Assert.Equal($"told to {project}", environment.GetValueOrDefault("Drift__Literal"));
                Assert.Equal("42", environment.GetValueOrDefault("Drift__Parameter"));
                // Everything else the manifest names (https aside: not served here); what the shop computed is what the process got.
                Assert.All(manifest.EnvironmentOf(project).Keys.Where(key => !key.Contains("__https__", StringComparison.Ordinal)),
                    key => Assert.Contains(key, environment.Keys));
                Assert.All(shop.EnvironmentOf(instance),
                    variable => Assert.Equal(variable.Value, environment.GetValueOrDefault(variable.Key)));
            }
        }
        // No proxy in front of the catalog's replicas: the gateway is told each.
        Assert.Equal(
            shop.Addresses["catalog-1"].GetLeftPart(UriPartial.Authority),
            EnvironmentOfProcess(shop.Process("gateway").Pid)["services__catalog__http__1"]);
    }

    // What the kernel holds as the process's environment: what it was started with.
    private static Dictionary<string, string> EnvironmentOfProcess(int pid) =>
        Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/environ"))
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(entry => entry[0], entry => entry.Length > 1 ? entry[1] : "");
}
