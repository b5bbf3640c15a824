using System.Text.Json;
using MsaShop.Deployment.Tests.Manifests;
using MsaShop.Deployment.Tests.Tools;

namespace MsaShop.Deployment.Tests.SchemaValidation;

/// <summary>
/// Runs validate.mjs (node) over objects: the Kubernetes, KEDA and Istio JSON schemas, offline. Its npm
/// packages come from the committed package-lock.json (<see cref="NpmPackages"/>).
/// </summary>
internal static class SchemaValidator
{
    public sealed record Failure(int Index, string Kind, string Name, string Message);

    public sealed record Report(int Validated, IReadOnlyList<Failure> Errors);

    private static readonly string Directory = RepositoryRoot.Combine("tests", "MsaShop.Deployment.Tests", "SchemaValidation");
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    public static async Task<Report> ValidateAsync(IEnumerable<JsonObject> objects)
    {
        await NpmPackages.EnsureInstalledAsync(Directory);
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
}
