using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests;

/// <summary>Every overlay builds with kubectl kustomize into a consistent set of objects.</summary>
public sealed class RenderingTests(ITestOutputHelper output)
{
    public static TheoryData<string> Overlays => Overlay.Names;

    [Fact]
    public void The_overlays_checked_are_the_overlays_in_the_repository()
    {
        var onDisk = Directory.GetDirectories(RepositoryRoot.Combine("deploy", "kubernetes", "overlays")).Select(Path.GetFileName).Order();
        Assert.Equal(Overlay.All.Order(), onDisk);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_overlay_renders_into_uniquely_named_objects_in_the_msashop_namespace(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.NotEmpty(manifests.Objects);
        var ids = manifests.Objects.Select(o => $"{o["apiVersion"]}/{RenderedManifests.KindOf(o)}/{RenderedManifests.NameOf(o)}").ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(manifests.Objects.Where(o => RenderedManifests.KindOf(o) != "Namespace"),
            o => Assert.Equal("msashop", RenderedManifests.NamespaceOf(o)));

        output.WriteLine($"{overlay}: {manifests.Objects.Count} objects");
        foreach (var kind in manifests.Objects.GroupBy(RenderedManifests.KindOf).OrderBy(g => g.Key))
        {
            output.WriteLine($"  {kind.Count(),3} {kind.Key}");
        }
    }
}
