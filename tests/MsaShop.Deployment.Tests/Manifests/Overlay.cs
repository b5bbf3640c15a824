using System.Collections.Concurrent;

namespace MsaShop.Deployment.Tests.Manifests;

/// <summary>The overlays under deploy/kubernetes/overlays, each rendered once per test run by kubectl kustomize.</summary>
internal static class Overlay
{
    public const string Dev = "dev";
    public const string Production = "production";
    public const string MeshIstio = "mesh-istio";

    public static IReadOnlyList<string> All { get; } = [Dev, Production, MeshIstio];

    public static TheoryData<string> Names => new(All);

    public static string DirectoryOf(string overlay) => RepositoryRoot.Combine("deploy", "kubernetes", "overlays", overlay);

    private static readonly ConcurrentDictionary<string, Lazy<Task<RenderedManifests>>> Rendered = new();

    public static Task<RenderedManifests> RenderAsync(string overlay) =>
        Rendered.GetOrAdd(overlay, name => new Lazy<Task<RenderedManifests>>(() => Kustomize.BuildAsync(DirectoryOf(name)))).Value;
}

/// <summary><c>kubectl kustomize</c> (kustomize 5 is built into kubectl 1.27 and later).</summary>
internal static class Kustomize
{
    public static async Task<RenderedManifests> BuildAsync(string directory)
    {
        var result = await ProcessRunner.RunAsync("kubectl", ["kustomize", directory], RepositoryRoot.Path);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {directory} failed ({result.ExitCode}):\n{result.Error}");
        }

        return new RenderedManifests(YamlDocuments.Parse(result.Output));
    }
}
