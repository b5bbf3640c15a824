namespace MsaShop.Deployment.Tests.Pipelines;

/// <summary>
/// Each deployable service (a project with a ContainerRepository) has a pipeline that runs when anything it
/// is built from changes, read from the project files' references, and only then, running its own tests.
/// </summary>
public sealed class PathFilterTests
{
    public static TheoryData<string> Services => new(BuildGraph.Deployables().Select(d => d.Service));

    [Fact]
    public void Every_service_with_a_container_image_has_its_own_pipeline()
    {
        var deployables = BuildGraph.Deployables();

        Assert.Equal(["catalog", "gateway", "ordering", "payment"], deployables.Select(d => d.Service));
        Assert.All(deployables, d => Assert.True(File.Exists(RepositoryRoot.Combine(d.Workflow.Split('/'))), $"{d.Workflow} is missing"));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Each_pipeline_runs_on_a_change_to_what_its_service_is_built_from_and_to_nothing_of_another_service(string service)
    {
        var pipeline = Pipeline(service);

        var problems = pipeline.Problems();

        Assert.True(problems.Count == 0, $"{pipeline.Workflow.Path}:\n" + string.Join('\n', problems));
        Assert.Contains("ServiceDefaults", BuildGraph.Folders(pipeline.Projects));
    }

    [Fact]
    public void A_change_to_ServiceDefaults_runs_every_pipeline_and_a_change_to_payment_runs_payment_alone()
    {
        var pipelines = BuildGraph.Deployables().Select(d => Pipeline(d.Service)).ToList();

        string[] Triggered(string changedFile) => [.. pipelines
            .Where(p => ServicePipeline.Triggers.All(trigger => new PathFilter(p.Workflow.PathFilter(trigger)).Triggers(changedFile)))
            .Select(p => p.Service.Service)];

        Assert.Equal(["catalog", "gateway", "ordering", "payment"], Triggered("ServiceDefaults/Extensions.cs"));
        Assert.Equal(["catalog", "gateway", "ordering", "payment"], Triggered("Directory.Packages.props"));
        Assert.Equal(["catalog", "ordering", "payment"], Triggered("services/Contracts/OrderSubmitted.cs"));
        Assert.Equal(["payment"], Triggered("services/Payment/Program.cs"));
        Assert.Equal(["catalog"], Triggered("services/BuildingBlocks/Caching/CacheExtensions.cs"));
        Assert.Empty(Triggered("docs/saga.md"));
    }

    [Fact]
    public void The_check_reports_a_referenced_folder_missing_from_the_filter_and_another_services_tests_or_folders()
    {
        var catalog = Pipeline("catalog");
        var broken = catalog.Workflow.Text
            .Replace("      - services/BuildingBlocks/Caching/**\n", "", StringComparison.Ordinal)
            .Replace("      - ServiceDefaults/**\n", "      - ServiceDefaults/*.cs\n      - services/Payment/**\n",
                StringComparison.Ordinal)
            .Replace("      - global.json\n", "", StringComparison.Ordinal)
            .Replace("tests/MsaShop.Catalog.Tests/MsaShop.Catalog.Tests.csproj",
                "tests/MsaShop.Ordering.Tests/MsaShop.Ordering.Tests.csproj", StringComparison.Ordinal);

        var problems = new ServicePipeline(catalog.Service, new Workflow(catalog.Workflow.Path, broken)).Problems();

        foreach (var trigger in ServicePipeline.Triggers)
        {
            Assert.Contains($"{trigger}: a change under services/BuildingBlocks/Caching/ does not run it", problems);
            Assert.Contains($"{trigger}: a change under ServiceDefaults/ does not run it", problems);
            Assert.Contains($"{trigger}: a change to global.json does not run it", problems);
            Assert.Contains($"{trigger}: a change under services/Payment/ (payment's) runs it", problems);
        }

        Assert.Contains(problems, p => p.StartsWith("it must run exactly its own tests", StringComparison.Ordinal));
        Assert.Contains("it names another service's tests, MsaShop.Ordering.Tests", problems);
    }

    private static ServicePipeline Pipeline(string service)
    {
        var deployable = BuildGraph.Deployables().Single(d => d.Service == service);
        return new ServicePipeline(deployable, Workflow.Load(deployable.Workflow));
    }
}
