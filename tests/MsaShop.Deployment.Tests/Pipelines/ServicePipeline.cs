namespace MsaShop.Deployment.Tests.Pipelines;

/// <summary>
/// A deployable service's workflow, checked against what the service is built from: the rules behind
/// "a change to ServiceDefaults rebuilds everything, a change to payment rebuilds payment alone".
/// </summary>
internal sealed class ServicePipeline(Deployable service, Workflow workflow)
{
    public static readonly string[] Triggers = ["push", "pull_request"];

    public Deployable Service { get; } = service;

    public Workflow Workflow { get; } = workflow;

    /// <summary>What the pipeline passes to the shared service pipeline (.github/workflows/service.yml).</summary>
    public JsonObject Inputs => Workflow.Calls.Single(call => call.Called == ".github/workflows/service.yml").With;

    public IReadOnlyList<string> TestProjects =>
        [.. ((string?)Inputs["test-projects"] ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The projects whose change must run the pipeline: the service's closure and its tests', not other services'.</summary>
    public IReadOnlySet<string> Projects
    {
        get
        {
            var otherServices = BuildGraph.Deployables().Where(d => d != Service).Select(d => d.Project).ToHashSet();
            return BuildGraph.Projects(Service.Project).Union(BuildGraph.Projects(Service.TestProject, otherServices)).ToHashSet();
        }
    }

    /// <summary>
    /// Files outside those projects whose change must run it too: build settings, deployment templates, the pipeline itself.
    /// </summary>
    public IEnumerable<string> Files
    {
        get
        {
            string[] deployed =
                [Service.Service, .. (string?)Inputs["canary-service"] is { Length: > 0 } canary ? [canary] : Array.Empty<string>()];
            return BuildGraph.BuildSettings(Projects)
                .Concat(deployed.Select(resource => $"AppHost/infra/{resource}.tmpl.yaml"))
                .Concat(WorkflowsRun(Workflow));
        }
    }

    /// <summary>Everything the pipeline's path filters miss, or catch that belongs to another service; empty when right.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var trigger in Triggers)
        {
            var filter = new PathFilter(Workflow.PathFilter(trigger));
            problems.AddRange(BuildGraph.Folders(Projects).Where(folder => !filter.CoversFolder(folder))
                .Select(folder => $"{trigger}: a change under {folder}/ does not run it"));
            problems.AddRange(Files.Where(file => !filter.Triggers(file)).Select(file => $"{trigger}: a change to {file} does not run it"));
            foreach (var other in BuildGraph.Deployables().Where(d => d != Service))
            {
                problems.AddRange(BuildGraph.Folders([other.Project, other.TestProject]).Where(filter.TouchesFolder)
                    .Select(folder => $"{trigger}: a change under {folder}/ ({other.Service}'s) runs it"));
            }
        }

        if (!TestProjects.SequenceEqual([Service.TestProject]))
        {
            problems.Add($"it must run exactly its own tests, {Service.TestProject}, not {string.Join(", ", TestProjects)}");
        }

        problems.AddRange(BuildGraph.Deployables().Where(d => d != Service)
            .Select(other => Path.GetFileNameWithoutExtension(other.TestProject))
            .Where(otherTests => Workflow.Text.Contains(otherTests, StringComparison.Ordinal))
            .Select(otherTests => $"it names another service's tests, {otherTests}"));
        return problems;
    }

    // The workflow and the reusable workflows it calls, transitively.
    private static IEnumerable<string> WorkflowsRun(Workflow workflow) =>
        workflow.Calls.Select(call => call.Called).Distinct().SelectMany(called => WorkflowsRun(Workflow.Load(called)))
            .Prepend(workflow.Path);
}
