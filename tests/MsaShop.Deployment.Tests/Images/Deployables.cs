using System.Xml.Linq;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.Images;

/// <summary>The projects MsaShop ships as images, and the repository each one names (its ContainerRepository).</summary>
internal static class Deployables
{
    /// <summary>Service name → project; the same four eng/containers/deployables.slnf publishes.</summary>
    public static IReadOnlyDictionary<string, string> Projects { get; } = new Dictionary<string, string>
    {
        ["catalog"] = "services/Catalog/MsaShop.Catalog.csproj",
        ["ordering"] = "services/Ordering/MsaShop.Ordering.csproj",
        ["payment"] = "services/Payment/MsaShop.Payment.csproj",
        ["gateway"] = "gateway/MsaShop.Gateway.csproj",
    };

    public static IEnumerable<string> Names => Projects.Keys;

    public static XDocument ProjectOf(string service) => XDocument.Load(RepositoryRoot.Combine(Projects[service]));

    public static string RepositoryOf(string service) =>
        ProjectOf(service).Descendants("ContainerRepository").Select(e => e.Value).Single();
}
