using System.Xml.Linq;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.Images;

/// <summary>The projects MsaShop ships as images, and the repository each one names (its ContainerRepository).</summary>
internal static class Deployables
{
    /// <summary>
    /// Service name → project: every project that declares a ContainerRepository, as eng/containers/deployables.slnf lists them.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Projects { get; } =
        Pipelines.BuildGraph.Deployables().ToDictionary(deployable => deployable.Service, deployable => deployable.Project);

    public static IEnumerable<string> Names => Projects.Keys;

    public static XDocument ProjectOf(string service) => XDocument.Load(RepositoryRoot.Combine(Projects[service]));

    public static string RepositoryOf(string service) =>
        ProjectOf(service).Descendants("ContainerRepository").Select(e => e.Value).Single();
}
