namespace MsaShop.Deployment.Tests.Pipelines;

/// <summary>
/// What a release, a redeploy and a rollback run, with the workflows' own conditions evaluated (WorkflowRun): a run
/// by hand on a tag releases through staging to production, a rollback redeploys a signed digest and builds nothing,
/// and every deployment, to Container Apps or Kubernetes, runs the digest the pipeline built.
/// </summary>
public sealed class ReleaseFlowTests
{
    private const string Digest = "ghcr.io/msashop/msashop/catalog@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945";
    private static readonly string[] Release = ["build", "test", "image", "deploy-staging", "deploy-production", "promote-production"];
    private static readonly string[] DeployJobs = ["deploy-staging", "deploy-production", "promote-production"];

    public static TheoryData<string> Targets => new(["containerapps", "kubernetes"]);

    [Theory]
    [InlineData("workflow_dispatch", "refs/tags/v1.4.2")]
    [InlineData("workflow_dispatch", "refs/heads/hotfix")]
    [InlineData("push", "refs/heads/main")]
    public void A_release_goes_through_staging_to_production_whether_pushed_to_main_or_run_by_hand_on_a_tag(string eventName,
        string reference)
    {
        Assert.Equal(Release, CatalogPipeline(eventName, reference).Jobs());
    }

    [Fact]
    public void A_pull_request_builds_tests_and_scans_its_image_but_deploys_nothing()
    {
        Assert.Equal(["build", "test", "image"], CatalogPipeline("pull_request", "refs/pull/7/merge").Jobs());
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_deployment_runs_the_digest_the_pipeline_built_and_builds_nothing(string target)
    {
        var pipeline = CatalogPipeline("push", "refs/heads/main");
        pipeline.Jobs(new Dictionary<string, JsonObject> { ["image"] = new() { ["image"] = Digest } });

        Assert.All(DeployJobs, job =>
        {
            var with = pipeline.With(job);
            Assert.Equal(Digest, (string?)with["image"]);
            AssertDeploysTheDigestAlone(Deployment(with, target), target);
        });
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_rollback_redeploys_a_digest_the_pipeline_signed_to_the_chosen_environment(string target)
    {
        var inputs = new JsonObject { ["service"] = "payment", ["environment"] = "production", ["image"] = Digest };
        var rollback = new WorkflowRun(Workflow.Load(".github/workflows/rollback.yml"),
            WorkflowRun.Event("workflow_dispatch", "refs/tags/v1.0.0", inputs));

        Assert.Equal(["verify", "deploy"], rollback.Jobs());
        Assert.Contains(rollback.Scripts("verify"), script => script.Contains("cosign verify \"$IMAGE\"", StringComparison.Ordinal));
        var with = rollback.With("deploy");
        Assert.Equal(("production", "payment", Digest), ((string?)with["environment"], (string?)with["services"], (string?)with["image"]));
        AssertDeploysTheDigestAlone(Deployment(with, target), target);
    }

    [Fact]
    public void No_workflow_changes_a_running_image_behind_the_overlays_back()
    {
        // kubectl set image makes the cluster differ from git, and the next apply of the overlay undoes it.
        Assert.All(Workflow.All(), workflow => Assert.DoesNotContain("kubectl set image", workflow.Text, StringComparison.Ordinal));
    }

    /// <summary>The scripts deploy.yml runs for a call with these inputs, on Container Apps or Kubernetes.</summary>
    private static IReadOnlyList<string> Deployment(JsonObject with, string target)
    {
        var vars = target == "kubernetes"
            ? new JsonObject { ["DEPLOY_TARGET"] = "kubernetes", ["KUSTOMIZE_OVERLAY"] = "deploy/kubernetes/overlays/production" }
            : [];
        var deploy = new WorkflowRun(Workflow.Load(".github/workflows/deploy.yml"),
            WorkflowRun.Event("workflow_call", "refs/heads/main", with, vars));
        Assert.Equal(["deploy"], deploy.Jobs());
        return deploy.Scripts("deploy");
    }

    private static void AssertDeploysTheDigestAlone(IReadOnlyList<string> scripts, string target)
    {
        var all = string.Join('\n', scripts);
        Assert.DoesNotContain("dotnet publish", all, StringComparison.Ordinal);
        Assert.Contains("@sha256:", all, StringComparison.Ordinal);
        if (target == "kubernetes")
        {
            Assert.Contains("kustomize edit set image \"msashop/$service=$IMAGE\"", all, StringComparison.Ordinal);
            Assert.Contains("git push origin HEAD:main", all, StringComparison.Ordinal);
            return;
        }

        // azd deploy builds the project's image unless it is handed one: every deploy names the digest it copied.
        var deploys = all.Split('\n').Where(line => line.TrimStart().StartsWith("azd deploy", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(deploys);
        Assert.All(deploys, line => Assert.Contains("--from-package \"$endpoint/$repository@$digest\"", line, StringComparison.Ordinal));
        Assert.Contains("az acr import --name \"$registry\" --source \"$IMAGE\"", all, StringComparison.Ordinal);
    }

    /// <summary>service.yml as catalog.yml calls it (a canary release), for an event on a ref.</summary>
    private static WorkflowRun CatalogPipeline(string eventName, string reference)
    {
        var service = Workflow.Load(".github/workflows/service.yml");
        var inputs =
            new JsonObject(service.CallInputs.Select(input => KeyValuePair.Create(input.Key, input.Value!["default"]?.DeepClone())));
        foreach (var (name, value) in Workflow.Load(".github/workflows/catalog.yml").Calls.Single().With)
        {
            inputs[name] = value!.DeepClone();
        }

        return new WorkflowRun(service, WorkflowRun.Event(eventName, reference, inputs));
    }
}
