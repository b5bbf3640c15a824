using MsaShop.Deployment.Tests.Images;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests;

/// <summary>The manifests run the images the projects build: ContainerRepository and ContainerPort in each deployable's project.</summary>
public sealed class ImageTests
{
    public static TheoryData<string> Overlays => Overlay.Names;

    /// <summary>Deployment → the deployable whose image it runs: the canary runs the catalog's.</summary>
    private static string ServiceOf(string deployment) => deployment == "catalog-canary" ? "catalog" : deployment;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_deployment_runs_the_repository_its_project_publishes_with_a_pinned_tag(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var deployments = manifests.Services.ToList();

        Assert.Equal(Deployables.Names.Append("catalog-canary").Order(), deployments.Select(d => d.Name).Order());
        Assert.All(deployments, deployment =>
        {
            var image = (string)deployment.MainContainer["image"]!;
            var (repository, tag) = ParseImage(image);
            Assert.Equal(Deployables.RepositoryOf(ServiceOf(deployment.Name)), repository);
            Assert.False(tag is null or "latest" && !image.Contains("@sha256:", StringComparison.Ordinal),
                $"{deployment}: image '{image}' is not pinned");
        });
    }

    [Theory]
    [InlineData(Overlay.Production)]
    [InlineData(Overlay.MeshIstio)]
    public async Task Production_runs_every_image_by_the_digest_the_release_pipeline_wrote(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        // A digest names one build's bytes: a re-apply can never run another build, as a reused tag could.
        Assert.All(manifests.PodTemplates.Where(p => p.PodLabels.ContainsKey("app.kubernetes.io/part-of")).SelectMany(p => p.Containers),
            container =>
            Assert.Matches("^[a-z0-9.-]+(/[a-z0-9-]+)+@sha256:[0-9a-f]{64}$", (string)container["image"]!));
        // The canary's image is a name of its own, so a release under trial never moves the stable Deployment.
        var images = YamlDocuments.Parse(File.ReadAllText(Path.Combine(Overlay.DirectoryOf(Overlay.Production), "kustomization.yaml")))
            .Single()["images"]!.AsArray();
        Assert.Equal([.. Deployables.Names.Select(s => $"msashop/{s}").Append("msashop/catalog-canary").Order()],
            images.Select(i => (string)i!["name"]!).Order());
        Assert.All(images, image => Assert.Null(image!["newTag"]));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_deployment_listens_on_the_port_its_image_declares(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.All(manifests.Services, deployment =>
        {
            var declared = Deployables.ProjectOf(ServiceOf(deployment.Name)).Descendants("ContainerPort")
                .Select(p => int.Parse((string)p.Attribute("Include")!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal([8080], declared);
            Assert.Equal(8080, deployment.ContainerPorts.Single(p => p.Name == "http").Port);
        });
    }

    /// <summary>
    /// registry.example.com:5000/msashop/catalog:1.0 → (msashop/catalog, 1.0); the registry is the first part when it has a dot, a colon or
    /// is localhost.
    /// </summary>
    private static (string Repository, string? Tag) ParseImage(string image)
    {
        var name = image.Split('@')[0];
        var lastSlash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        string? tag = colon > lastSlash ? name[(colon + 1)..] : null;
        var path = colon > lastSlash ? name[..colon] : name;
        var parts = path.Split('/');
        var hasRegistry = parts.Length > 1 && (parts[0].Contains('.') || parts[0].Contains(':') || parts[0] == "localhost");
        return (string.Join('/', hasRegistry ? parts[1..] : parts), tag);
    }
}
