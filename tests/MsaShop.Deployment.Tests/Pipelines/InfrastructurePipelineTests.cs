namespace MsaShop.Deployment.Tests.Pipelines;

/// <summary>
/// infrastructure.yml: a change to infra/, the AppHost or the Kubernetes manifests starts it; a pull request sees
/// what would change (an ARM what-if, a kubectl diff) and changes nothing; main provisions staging, then production
/// behind its reviewer.
/// </summary>
public sealed class InfrastructurePipelineTests
{
    private static readonly Workflow Infrastructure = Workflow.Load(".github/workflows/infrastructure.yml");

    [Theory]
    [InlineData("infra/main.bicep")]
    [InlineData("infra/modules/postgres.bicep")]
    [InlineData("AppHost/AppHost.cs")]
    [InlineData("AppHost/infra/messaging.tmpl.yaml")]
    [InlineData("azure.yaml")]
    [InlineData("deploy/kubernetes/base/gateway/deployment.yaml")]
    [InlineData("deploy/kubernetes/overlays/production/cluster-settings.yaml")]
    public void A_change_to_what_the_platform_is_made_of_starts_it(string changedFile)
    {
        Assert.All(ServicePipeline.Triggers, trigger =>
            Assert.True(new PathFilter(Infrastructure.PathFilter(trigger)).Triggers(changedFile), $"{trigger}: {changedFile}"));
    }

    [Theory]
    [InlineData("services/Payment/Program.cs")]
    [InlineData("docs/kubernetes.md")]
    public void A_change_to_a_service_or_the_docs_leaves_it_alone(string changedFile)
    {
        Assert.All(ServicePipeline.Triggers, trigger =>
            Assert.False(new PathFilter(Infrastructure.PathFilter(trigger)).Triggers(changedFile), $"{trigger}: {changedFile}"));
    }

    [Theory]
    [InlineData("", "azd provision --preview")]
    [InlineData("kubernetes", "kubectl diff -k \"$OVERLAY\"")]
    public void A_pull_request_shows_what_would_change_and_changes_nothing(string target, string preview)
    {
        var run = new WorkflowRun(Infrastructure,
            WorkflowRun.Event("pull_request", "refs/pull/9/merge", vars: new JsonObject { ["DEPLOY_TARGET"] = target }));

        Assert.Equal(["plan"], run.Jobs());
        var scripts = run.Scripts("plan");
        Assert.Contains(scripts, script => script.Contains(preview, StringComparison.Ordinal));
        Assert.DoesNotContain(scripts, script =>
            script.Contains("azd provision --environment", StringComparison.Ordinal)
            || script.Contains("kubectl apply", StringComparison.Ordinal));
        Assert.Equal("infrastructure-plan", (string?)Infrastructure.Jobs["plan"]!["environment"]);
    }

    [Fact]
    public void Main_provisions_staging_and_then_production_behind_its_reviewer()
    {
        var run = new WorkflowRun(Infrastructure, WorkflowRun.Event("push", "refs/heads/main"));

        Assert.Equal(["provision-staging", "provision-production"], run.Jobs());
        Assert.Equal("production", (string?)Infrastructure.Jobs["provision-production"]!["environment"]);
        Assert.Equal("provision-staging", (string?)Infrastructure.Jobs["provision-production"]!["needs"]);
        Assert.Contains(run.Scripts("provision-production"), script =>
            script.Contains("azd provision --environment \"$AZURE_ENV_NAME\"", StringComparison.Ordinal));
    }
}
