namespace MsaShop.Deployment.Tests.Pipelines;

/// <summary>Every workflow is valid for GitHub Actions, checked offline by the workflow schema and actionlint.</summary>
public sealed class WorkflowValidationTests
{
    [Fact]
    public async Task Every_workflow_passes_the_workflow_schema_and_actionlint()
    {
        var workflows = Workflow.All();

        var report = await WorkflowValidator.ValidateAsync(workflows.Select(w => (w.Path, w.Text)));

        Assert.Empty(report.Errors);
        Assert.Equal(workflows.Count, report.Validated);
        Assert.True(workflows.Count >= 6, "the four service pipelines, the shared pipeline and deploy, the pull-request workflow");
    }

    [Fact]
    public async Task The_validators_reject_an_unknown_event_a_missing_job_and_an_undefined_context()
    {
        const string Broken = """
            on: [pushed]
            jobs:
              test:
                runs-on: ubuntu-latest
                needs: build
                steps:
                  - run: echo "${{ github.commit }}"
            """;

        var report = await WorkflowValidator.ValidateAsync([(".github/workflows/broken.yml", Broken)]);

        Assert.Contains(report.Errors, e => e.Tool == "action-validator");
        Assert.Contains(report.Errors, e => e.Tool == "actionlint" && e.Message.Contains("pushed", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e =>
            e.Tool == "actionlint" && e.Message.Contains("\"build\" which does not exist", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e =>
            e.Tool == "actionlint" && e.Message.Contains("\"commit\" is not defined", StringComparison.Ordinal));
    }

    // actionlint cannot open a called workflow offline: what each call passes is checked here.
    [Fact]
    public void Every_call_of_a_reusable_workflow_passes_only_inputs_it_declares_and_every_input_it_requires()
    {
        var problems = new List<string>();
        foreach (var workflow in Workflow.All())
        {
            foreach (var (job, called, with) in workflow.Calls)
            {
                var inputs = Workflow.Load(called).CallInputs;
                problems.AddRange(with.Select(i => i.Key).Where(input => inputs[input] is null)
                    .Select(input => $"{workflow.Path} job {job}: {called} declares no input '{input}'"));
                problems.AddRange(inputs.Where(i => (bool?)i.Value!["required"] == true && with[i.Key] is null)
                    .Select(i => $"{workflow.Path} job {job}: {called} requires '{i.Key}'"));
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }
}
