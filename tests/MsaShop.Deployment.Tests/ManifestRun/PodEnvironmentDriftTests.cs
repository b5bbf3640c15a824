using MsaShop.Deployment.Tests.Manifests;
using MsaShop.Harness;

namespace MsaShop.Deployment.Tests.ManifestRun;

/// <summary>
/// The image test runs the rendered overlays' pods (PodmanCluster), each container's environment built from the rendered
/// objects (<see cref="PodEnvironment"/>). Kubernetes is a deployment of its own, so that environment is not derived from
/// the AppHost; it is held to it: every variable the AppHost's manifest gives a service reaches that service's
/// container, or is one a rule below names, so a variable added in the AppHost and not in deploy/ fails here.
/// </summary>
public sealed class PodEnvironmentDriftTests
{
    // What the cluster does another way, each with why; a variable no rule names must be in the container's environment.
    private static readonly (Func<string, bool> Matches, string Why)[] Rules =
    [
        (name => name == "HTTP_PORTS", "the image's own port (ASPNETCORE_HTTP_PORTS 8080, its containerPort: ImageTests)"),
        (name => name.Contains("__https__", StringComparison.Ordinal),
            "TLS ends at the Gateway API; Services speak plain HTTP in the cluster"),
        (name => name == "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY",
            "Aspire's setting for its dashboard's collector, which the cluster does not run"),
        (name => name == "ASPNETCORE_FORWARDEDHEADERS_ENABLED",
            "the gateway trusts the forwarded headers of its known proxies (Gateway__ForwardedHeaders__*)"),
        (name => name == "Gateway__Canary__Weight",
            "the gateway's canary weight is in its configuration file (GATEWAY_CONFIG_FILE, CanaryTests)"),
    ];

    public static TheoryData<string> Overlays => Overlay.Names;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_variable_the_AppHost_gives_a_service_reaches_its_container(string overlay)
    {
        var problems = Problems(await PublishedManifest.OfThisBuildAsync(), await Overlay.RenderAsync(overlay), overlay);

        Assert.True(problems.Count == 0, $"deploy/kubernetes ({overlay}) does not follow the AppHost:\n" + string.Join('\n', problems));
    }

    [Fact]
    public async Task A_variable_added_to_the_AppHost_manifest_is_reported_for_every_service_whose_container_lacks_it()
    {
        var manifest = (await PublishedManifest.OfThisBuildAsync()).Clone();
        foreach (var project in manifest.Projects)
        {
            manifest.Resources[project]!["env"]!["Drift__Literal"] = $"told to {project}";
        }

        var problems = Problems(manifest, await Overlay.RenderAsync(Overlay.Dev), Overlay.Dev);

        Assert.Equal(
            manifest.Projects.Select(project => $"{project}: Drift__Literal is not in its container's environment").Order(),
            problems.Order());
    }

    private static List<string> Problems(AppHostManifest manifest, RenderedManifests rendered, string overlay)
    {
        var problems = new List<string>();
        foreach (var project in manifest.Projects)
        {
            var workload = rendered.Services.SingleOrDefault(service => service.Name == project);
            if (workload is null)
            {
                problems.Add($"{project}: no Deployment runs it");
                continue;
            }
            // Dev's environment as the image test's container gets it; the others' Secrets hold no value here, so their names.
            var environment = overlay == Overlay.Dev
                ? PodEnvironment.Of(workload.MainContainer, rendered, $"{project}-0", "10.0.0.1").Keys.ToHashSet()
                : workload.Environment.Keys.ToHashSet();
            problems.AddRange(manifest.EnvironmentOf(project).Keys
                .Where(name => !environment.Contains(name) && !Rules.Any(rule => rule.Matches(name)))
                .Select(name => $"{project}: {name} is not in its container's environment"));
        }
        return problems;
    }
}
