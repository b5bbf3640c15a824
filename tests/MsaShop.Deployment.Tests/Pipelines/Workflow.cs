using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.Pipelines;

/// <summary>A GitHub Actions workflow under .github/workflows, read as JSON.</summary>
internal sealed class Workflow(string path, string text)
{
    public static string Directory { get; } = RepositoryRoot.Combine(".github", "workflows");

    /// <summary>Repository-relative, as GitHub names it (".github/workflows/catalog.yml").</summary>
    public string Path { get; } = path;

    public string Text { get; } = text;

    public JsonObject Document { get; } = YamlDocuments.Parse(text).Single();

    public JsonObject Triggers => Document["on"]!.AsObject();

    public JsonObject Jobs => Document["jobs"]!.AsObject();

    /// <summary>The path filter of an event ("push", "pull_request"), in order; empty when it has none.</summary>
    public IReadOnlyList<string> PathFilter(string trigger) =>
        [.. (Triggers[trigger]?["paths"]?.AsArray() ?? []).Select(pattern => (string)pattern!)];

    /// <summary>The reusable workflows this one calls (jobs with <c>uses: ./.github/workflows/…</c>), with what each job passes.</summary>
    public IEnumerable<(string Job, string Called, JsonObject With)> Calls =>
        Jobs.Where(job => ((string?)job.Value!["uses"])?.StartsWith("./.github/workflows/", StringComparison.Ordinal) == true)
            .Select(job => (job.Key, ((string)job.Value!["uses"]!)[2..], job.Value["with"]?.AsObject() ?? []));

    /// <summary>The inputs a reusable workflow declares (on.workflow_call.inputs).</summary>
    public JsonObject CallInputs => Triggers["workflow_call"]?["inputs"]?.AsObject() ?? [];

    public static Workflow Load(string repositoryPath) =>
        new(repositoryPath, File.ReadAllText(RepositoryRoot.Combine(repositoryPath.Split('/'))));

    public static IReadOnlyList<Workflow> All() =>
        [.. System.IO.Directory.GetFiles(Directory, "*.yml").Order(StringComparer.Ordinal)
            .Select(file => Load($".github/workflows/{System.IO.Path.GetFileName(file)}"))];
}
