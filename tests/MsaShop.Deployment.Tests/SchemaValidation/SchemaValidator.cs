using MsaShop.Deployment.Tests.Manifests;
using MsaShop.Deployment.Tests.Tools;

namespace MsaShop.Deployment.Tests.SchemaValidation;

/// <summary>
/// Runs validate.mjs (node) over objects: the Kubernetes, KEDA and Istio JSON schemas, offline. Its npm
/// packages come from the committed package-lock.json (<see cref="NodeScript"/>).
/// </summary>
internal static class SchemaValidator
{
    public sealed record Failure(int Index, string Kind, string Name, string Message);

    public sealed record Report(int Validated, IReadOnlyList<Failure> Errors);

    private static readonly string Directory = RepositoryRoot.Combine("tests", "MsaShop.Deployment.Tests", "SchemaValidation");

    public static Task<Report> ValidateAsync(IEnumerable<JsonObject> objects) =>
        NodeScript.RunAsync<Report>(Directory, "validate.mjs", new JsonArray([.. objects.Select(AsTheApiServerReadsIt)]));

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
