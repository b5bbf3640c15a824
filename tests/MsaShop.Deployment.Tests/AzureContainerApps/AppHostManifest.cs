using System.Reflection;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.AzureContainerApps;

/// <summary>
/// The AppHost's publish manifest, the model azd reads, regenerated once per test run the way azd asks
/// for it: <c>dotnet run --project AppHost -- --publisher manifest --output-path …</c> (on the AppHost the
/// test build already built). Aspire's default images are asked for, as on a machine that deploys.
/// </summary>
internal static class AppHostManifest
{
    private static readonly Lazy<Task<JsonObject>> Published = new(PublishAsync);

    /// <summary>The manifest's resources by name.</summary>
    public static Task<JsonObject> ResourcesAsync() => Published.Value;

    private static async Task<JsonObject> PublishAsync()
    {
        var configuration = typeof(AppHostManifest).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var directory = Directory.CreateTempSubdirectory("msashop-manifest-");
        try
        {
            var manifest = Path.Combine(directory.FullName, "aspire-manifest.json");
            var result = await ProcessRunner.RunAsync(
                "dotnet",
                ["run", "--project", RepositoryRoot.Combine("AppHost", "MsaShop.AppHost.csproj"), "--no-build", "-c", configuration,
                 "--no-launch-profile", "--", "--publisher", "manifest", "--output-path", manifest],
                RepositoryRoot.Path,
                environment: new Dictionary<string, string?> { ["MSASHOP_CONTAINER_IMAGES"] = null });
            if (result.ExitCode != 0 || !File.Exists(manifest))
            {
                throw new InvalidOperationException($"The AppHost did not publish its manifest ({result.ExitCode}):\n{result.Output}\n{result.Error}");
            }

            return JsonNode.Parse(await File.ReadAllTextAsync(manifest))!["resources"]!.AsObject();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
