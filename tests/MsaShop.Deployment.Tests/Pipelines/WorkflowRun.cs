namespace MsaShop.Deployment.Tests.Pipelines;

/// <summary>
/// Which jobs and steps of a workflow run for an event, as GitHub decides it: a job runs when every job it needs
/// succeeded (unless its <c>if:</c> says always()) and its <c>if:</c> holds; a skipped job skips those that need it.
/// Every job that runs is taken to succeed, with the outputs the caller gives.
/// </summary>
internal sealed class WorkflowRun(Workflow workflow, JsonObject contexts)
{
    public Workflow Workflow { get; } = workflow;

    /// <summary>The contexts: github (event_name, ref), inputs, vars, and needs once jobs have run.</summary>
    public JsonObject Contexts { get; } = contexts;

    /// <summary>The jobs that run, in the order GitHub can start them.</summary>
    public IReadOnlyList<string> Jobs(IReadOnlyDictionary<string, JsonObject>? outputs = null)
    {
        var results = new Dictionary<string, bool>();
        var needs = new JsonObject();
        var pending = Workflow.Jobs.Select(job => job.Key).ToList();
        var ran = new List<string>();
        while (pending.Count > 0)
        {
            var ready = pending.First(job => Needs(job).All(results.ContainsKey));
            pending.Remove(ready);
            var context = (JsonObject)Contexts.DeepClone();
            context["needs"] = needs.DeepClone();
            var runs = WorkflowExpression.Condition((string?)Workflow.Jobs[ready]!["if"], context, Needs(ready).All(need => results[need]));
            results[ready] = runs;
            needs[ready] = new JsonObject
            {
                ["result"] = runs ? "success" : "skipped",
                ["outputs"] = runs && outputs?.GetValueOrDefault(ready) is { } given ? given.DeepClone() : new JsonObject(),
            };
            if (runs)
            {
                ran.Add(ready);
            }
        }

        Contexts["needs"] = needs;
        return ran;
    }

    /// <summary>What a job that calls a reusable workflow passes it (its <c>with:</c>, placeholders filled in).</summary>
    public JsonObject With(string job) => new((Workflow.Jobs[job]!["with"]?.AsObject() ?? []).Select(input =>
        KeyValuePair.Create(input.Key, (JsonNode?)JsonValue.Create(WorkflowExpression.Interpolate(input.Value!.ToString(), Contexts)))));

    /// <summary>The steps of a job whose <c>if:</c> holds (the job's <c>env:</c> in the env context).</summary>
    public IReadOnlyList<JsonObject> Steps(string job)
    {
        var contexts = JobContexts(job);
        return [.. (Workflow.Jobs[job]!["steps"]?.AsArray() ?? []).Select(step => step!.AsObject())
            .Where(step => WorkflowExpression.Condition((string?)step["if"], contexts))];
    }

    /// <summary>The <c>run:</c> scripts of a job's steps that run, placeholders filled in.</summary>
    public IReadOnlyList<string> Scripts(string job) =>
        [.. Steps(job).Select(step => (string?)step["run"]).OfType<string>()
            .Select(script => WorkflowExpression.Interpolate(script, JobContexts(job)))];

    private JsonObject JobContexts(string job)
    {
        var contexts = (JsonObject)Contexts.DeepClone();
        var env = new JsonObject();
        foreach (var (name, value) in (Workflow.Document["env"]?.AsObject() ?? []).Concat(Workflow.Jobs[job]!["env"]?.AsObject() ?? []))
        {
            env[name] = WorkflowExpression.Interpolate(value!.ToString(), contexts);
        }

        contexts["env"] = env;
        return contexts;
    }

    /// <summary>The contexts of a run: an event on a ref, with inputs and repository variables.</summary>
    public static JsonObject Event(string name, string reference, JsonObject? inputs = null, JsonObject? vars = null) => new()
    {
        ["github"] = new JsonObject { ["event_name"] = name, ["ref"] = reference, ["repository"] = "msashop/msashop",
            ["actor"] = "release-manager" },
        ["inputs"] = inputs ?? [],
        ["vars"] = vars ?? [],
        ["secrets"] = new JsonObject(),
        ["runner"] = new JsonObject { ["temp"] = "/tmp/runner" },
        ["env"] = new JsonObject(),
    };

    private IEnumerable<string> Needs(string job) => Workflow.Jobs[job]!["needs"] switch
    {
        JsonArray list => list.Select(n => (string)n!),
        JsonValue single => [(string)single!],
        _ => [],
    };
}
