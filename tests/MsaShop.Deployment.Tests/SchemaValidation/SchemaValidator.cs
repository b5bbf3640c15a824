using System.Text.Json;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.SchemaValidation;

/// <summary>
/// Runs validate.mjs (node) over objects: the Kubernetes, KEDA and Istio JSON schemas, offline. Its npm
/// packages are installed once, by <c>npm ci</c> from the committed package-lock.json, when missing or stale.
/// </summary>
internal static class SchemaValidator
{
    public sealed record Failure(int Index, string Kind, string Name, string Message);

    public sealed record Report(int Validated, IReadOnlyList<Failure> Errors);

    private static readonly string Directory = RepositoryRoot.Combine("tests", "MsaShop.Deployment.Tests", "SchemaValidation");
    private static readonly Lazy<Task> Installed = new(InstallAsync);
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    public static async Task<Report> ValidateAsync(IEnumerable<JsonObject> objects)
    {
        await Installed.Value;
        var input = new JsonArray([.. objects.Select(AsTheApiServerReadsIt)]).ToJsonString();
        var result = await ProcessRunner.RunAsync("node", ["validate.mjs"], Directory, input);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"validate.mjs failed ({result.ExitCode}):\n{result.Error}");
        }

        return JsonSerializer.Deserialize<Report>(result.Output, WebJson)!;
    }

    // kustomize wraps a Secret's base64 values at 70 characters; the API server's decoder skips the line
    // breaks, the schema's "byte" format does not.
    private static JsonNode AsTheApiServerReadsIt(JsonObject manifest)
    {
        var copy = manifest.DeepClone().AsObject();
        if (RenderedManifests.KindOf(copy) == "Secret" && copy["data"] is JsonObject data)
        {
            foreach (var key in data.Select(entry => entry.Key).ToList())
            {
                data[key] = ((string?)data[key])?.Replace("\n", "", StringComparison.Ordinal);
            }
        }

        return copy;
    }

    private static async Task InstallAsync()
    {
        // npm ci writes node_modules/.package-lock.json last: its absence or age means "install".
        var installedLock = Path.Combine(Directory, "node_modules", ".package-lock.json");
        var committedLock = Path.Combine(Directory, "package-lock.json");
        if (File.Exists(installedLock) && File.GetLastWriteTimeUtc(installedLock) >= File.GetLastWriteTimeUtc(committedLock))
        {
            return;
        }

        var result = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], Directory);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {Directory} failed ({result.ExitCode}):\n{result.Error}");
        }
    }
}
