using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using MsaShop.Testing.Aspire;

namespace MsaShop.AppHost.Tests;

/// <summary>
/// Reads the application model the AppHost builds (nothing is started), so the topology AppHost/AppHost.cs declares is
/// checked on every machine that can restore Aspire, with or without Docker.
/// </summary>
public sealed class TopologyTests
{
    // Everything one service may depend on. Aspire may record further relationships (a database's server,
    // a parameter); the design is about these.
    private static readonly HashSet<string> Dependables =
    [
        "catalogdb", "orderingdb", "paymentdb", "cache", "messaging",
        "catalog", "catalog-canary", "ordering", "payment", "gateway",
    ];

    [Fact]
    public async Task Every_resource_in_the_design_exists_under_its_contract_name()
    {
        await using var appHost = await CreateAppHostAsync();

        var names = appHost.Resources.Select(resource => resource.Name).ToHashSet();

        Assert.Superset(new HashSet<string>(Dependables) { "postgres" }, names);
    }

    [Fact]
    public async Task Catalog_runs_two_replicas_and_its_canary_one()
    {
        await using var appHost = await CreateAppHostAsync();

        Assert.Equal(2, Resource(appHost, "catalog").ReplicaCount());
        Assert.Equal(1, Resource(appHost, "catalog-canary").ReplicaCount());
    }

    [Fact]
    public async Task Ordering_runs_two_instances()
    {
        await using var appHost = await CreateAppHostAsync();

        Assert.Equal(2, Resource(appHost, "ordering").ReplicaCount());
    }

    // Each service project of the model, what it references, and what it waits for: its servers, never another service.
    public static TheoryData<string, string[], string[]> ServiceDependencies => new()
    {
        { "catalog", ["catalogdb", "cache", "messaging"], ["catalogdb", "cache", "messaging"] },
        { "catalog-canary", ["catalogdb", "cache", "messaging"], ["catalogdb", "cache", "messaging"] },
        { "ordering", ["orderingdb", "messaging", "catalog"], ["orderingdb", "messaging"] },
        { "payment", ["paymentdb", "messaging"], ["paymentdb", "messaging"] },
        { "gateway", ["catalog", "catalog-canary", "ordering"], [] },
    };

    [Fact]
    public async Task Every_service_project_in_the_model_has_its_dependencies_stated_here()
    {
        await using var appHost = await CreateAppHostAsync();

        var projects = appHost.Resources.OfType<ProjectResource>().Select(resource => resource.Name);

        Assert.Equal(ServiceDependencies.Select(row => row.Data.Item1).Order(), projects.Order());
    }

    [Theory]
    [MemberData(nameof(ServiceDependencies))]
    public async Task Each_service_references_and_waits_for_exactly_its_dependencies(string service, string[] references, string[] waitsFor)
    {
        await using var appHost = await CreateAppHostAsync();
        var resource = Resource(appHost, service);

        var referenced = resource.Annotations.OfType<ResourceRelationshipAnnotation>()
            .Where(relationship => relationship.Type == "Reference")
            .Select(relationship => relationship.Resource.Name);
        var awaitedUntilHealthy = resource.Annotations.OfType<WaitAnnotation>()
            .Where(wait => wait.WaitType == WaitType.WaitUntilHealthy)
            .Select(wait => wait.Resource.Name);

        Assert.Equal(references.Order(), referenced.Where(Dependables.Contains).Distinct().Order());
        Assert.Equal(waitsFor.Order(), awaitedUntilHealthy.Where(Dependables.Contains).Distinct().Order());
    }

    [Fact]
    public async Task Only_the_gateway_is_reachable_from_outside()
    {
        await using var appHost = await CreateAppHostAsync();

        var external = appHost.Resources
            .Where(resource => resource.Annotations.OfType<EndpointAnnotation>().Any(endpoint => endpoint.IsExternal))
            .Select(resource => resource.Name);

        Assert.Equal(["gateway"], external);
        Assert.DoesNotContain(
            appHost.Resources,
            resource => resource.Annotations.OfType<ResourceRelationshipAnnotation>()
                .Any(relationship => relationship.Resource.Name == "payment"));
    }

    [Fact]
    public async Task On_F5_there_is_no_signing_key_parameter_so_services_use_their_development_key()
    {
        await using var appHost = await CreateAppHostAsync();

        Assert.DoesNotContain(appHost.Resources, resource => resource.Name == "jwt-signing-key");
    }

    [Fact]
    public async Task The_canary_weight_is_a_plain_parameter_that_defaults_to_no_canary_traffic()
    {
        await using var appHost = await CreateAppHostAsync();

        var canaryWeight = Assert.IsType<ParameterResource>(Resource(appHost, "gateway-canary-weight"));
        Assert.False(canaryWeight.Secret);
        // The declared default, published so that azd does not ask for it (a local override does not change it).
        Assert.Equal("0", canaryWeight.Default?.GetDefaultValue());
    }

    [Fact]
    public async Task Every_service_starts_from_its_build_rather_than_through_dotnet_run()
    {
        await using var appHost = await CreateAppHostAsync();

        Assert.All(appHost.Resources.OfType<ProjectResource>(), service =>
        {
            var projectDirectory = Path.GetDirectoryName(service.GetProjectMetadata().ProjectPath)!;
            var start = Assert.Single(service.Annotations.OfType<ExecutableAnnotation>());
            Assert.Equal(projectDirectory, start.WorkingDirectory);
            Assert.StartsWith(Path.Combine(projectDirectory, "bin") + Path.DirectorySeparatorChar, start.Command);
            Assert.True(File.Exists(start.Command), $"{start.Command} exists");
        });
    }

    private static Task<IDistributedApplicationTestingBuilder> CreateAppHostAsync() =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.MsaShop_AppHost>(TestContext.Current.CancellationToken);


    private static IResource Resource(IDistributedApplicationTestingBuilder appHost, string name) =>
        appHost.Resources.Single(resource => resource.Name == name);
}
