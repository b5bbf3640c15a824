using System.Xml.Linq;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.Pipelines;

/// <summary>
/// What a project is built from, read from the project files themselves: the folders of every project it
/// references, transitively, and the files MSBuild, NuGet and the SDK read for each of them (the
/// Directory.*.props and .targets above it, global.json, nuget.config, .editorconfig). All paths are
/// repository-relative with '/'.
/// </summary>
internal static class BuildGraph
{
    // Read for every project of the repository, wherever it lives.
    private static readonly string[] RepositoryInputs = ["global.json", "nuget.config", ".editorconfig"];
    private static readonly string[] DirectoryFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"];

    /// <summary>Every project that builds a container image (declares a ContainerRepository): the deployable services.</summary>
    public static IReadOnlyList<Deployable> Deployables() =>
        [.. Directory.GetFiles(RepositoryRoot.Path, "*.csproj", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(file =>
                (Project: Relative(file), Repository: XDocument.Load(file).Descendants("ContainerRepository").SingleOrDefault()?.Value))
            .Where(project => project.Repository is not null)
            .Select(project => new Deployable(project.Repository!.Split('/')[^1], project.Project))
            .OrderBy(deployable => deployable.Service, StringComparer.Ordinal)];

    /// <summary>
    /// The project and every project it references, transitively, not descending into <paramref name="boundaries"/>
    /// (another service's project that a test starts as a collaborator is that service's to build and release).
    /// </summary>
    public static IReadOnlySet<string> Projects(string project, IReadOnlySet<string>? boundaries = null)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!found.Add(current))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(RepositoryRoot.Combine(current.Split('/')))!;
            foreach (var reference in XDocument.Load(RepositoryRoot.Combine(current.Split('/'))).Descendants("ProjectReference"))
            {
                var referenced = Relative(Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value)));
                if (boundaries?.Contains(referenced) != true)
                {
                    pending.Push(referenced);
                }
            }
        }

        return found;
    }

    /// <summary>The folders of <paramref name="projects"/>.</summary>
    public static IEnumerable<string> Folders(IEnumerable<string> projects) =>
        projects.Select(project => project[..project.LastIndexOf('/')]).Distinct();

    /// <summary>The files outside the project folders that building <paramref name="projects"/> reads.</summary>
    public static IEnumerable<string> BuildSettings(IEnumerable<string> projects) =>
        Folders(projects).SelectMany(DirectoryFilesAbove).Concat(RepositoryInputs.Where(file => File.Exists(RepositoryRoot.Combine(file))))
            .Distinct();

    private static IEnumerable<string> DirectoryFilesAbove(string folder)
    {
        var parts = folder.Split('/');
        for (var depth = parts.Length - 1; depth >= 0; depth--)
        {
            var prefix = string.Join('/', parts[..depth]);
            foreach (var name in DirectoryFiles)
            {
                var file = prefix.Length == 0 ? name : $"{prefix}/{name}";
                if (File.Exists(RepositoryRoot.Combine(file.Split('/'))))
                {
                    yield return file;
                }
            }
        }
    }

    private static string Relative(string path) =>
        Path.GetRelativePath(RepositoryRoot.Path, path).Replace(Path.DirectorySeparatorChar, '/');
}

/// <summary>A service with a container image: its name (the image's last segment, the AppHost resource) and its project.</summary>
internal sealed record Deployable(string Service, string Project)
{
    /// <summary>Its own test project, by the repository's convention: tests/&lt;ProjectName&gt;.Tests.</summary>
    public string TestProject
    {
        get
        {
            var name = Path.GetFileNameWithoutExtension(Project) + ".Tests";
            return $"tests/{name}/{name}.csproj";
        }
    }

    public string Workflow => $".github/workflows/{Service}.yml";

    public override string ToString() => Service;
}
