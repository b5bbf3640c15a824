using Microsoft.Extensions.Configuration;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests;

/// <summary>
/// Re-weighting the canary needs no restart: a ConfigMap edit, delivered the way the kubelet delivers it
/// (a symlink swap), reaches the gateway's configuration through the file it watches, with the
/// environment its Deployment gives it.
/// </summary>
public sealed class CanaryWeightReloadTests
{
    private const string PollingVariable = "DOTNET_USE_POLLING_FILE_WATCHER";

    [Fact]
    public async Task A_ConfigMap_update_reaches_the_gateway_configuration_without_a_restart()
    {
        var manifests = await Overlay.RenderAsync(Overlay.Production);
        var mount = GatewayCanaryMount.Of(manifests);
        using var volume = new ConfigMapVolume(new Dictionary<string, string> { [mount.FileName] = mount.FileContent });

        var previousPolling = Environment.GetEnvironmentVariable(PollingVariable);
        Environment.SetEnvironmentVariable(PollingVariable, manifests.Workload("gateway").EnvironmentValue(PollingVariable));
        try
        {
            using var configuration = new ConfigurationManager();
            configuration[GatewayConfigFileExtensions.ConfigFileEnvironmentVariable] = Path.Combine(volume.Root, mount.FileName);
            configuration.AddGatewayConfigFile();
            Assert.Equal("0", configuration["Gateway:Canary:Weight"]);

            volume.Update(new Dictionary<string, string> { [mount.FileName] = """{"Gateway":{"Canary":{"Weight":35}}}""" });
            await Eventually.TrueAsync(() => configuration["Gateway:Canary:Weight"] == "35", "the new weight", TimeSpan.FromSeconds(30));

            volume.Update(new Dictionary<string, string> { [mount.FileName] = mount.FileContent });
            await Eventually.TrueAsync(() => configuration["Gateway:Canary:Weight"] == "0", "the rollback", TimeSpan.FromSeconds(30));
        }
        finally
        {
            Environment.SetEnvironmentVariable(PollingVariable, previousPolling);
        }
    }
}
