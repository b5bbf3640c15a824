using System.Reflection;

namespace MsaShop.LocalInfrastructure;

/// <summary>Where the repository and the services' build output are, found from the running program.</summary>
public static class RepositoryLayout
{
    public const string SolutionFile = "MsaShop.sln";
    public const string TargetFramework = "net10.0";

    /// <summary>The folder holding MsaShop.sln, found by walking up from this program's own output folder.</summary>
    public static string FindRoot(string? startDirectory = null)
    {
        for (var directory = new DirectoryInfo(startDirectory ?? AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException(
            $"{SolutionFile} was not found above {startDirectory ?? AppContext.BaseDirectory}: run from a build inside the repository");
    }

    /// <summary>
    /// The configuration the running program was built with (Debug from an IDE, Release from eng/test.sh),
    /// so the services it starts come from the same kind of build.
    /// </summary>
    public static string CallerConfiguration() =>
        Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : "Debug";

    /// <summary>bin/&lt;configuration&gt;/net10.0/&lt;assembly&gt;.dll of a project folder relative to the root.</summary>
    public static string BuildOutput(string root, string projectFolder, string assemblyName, string configuration) =>
        Path.Combine(root, projectFolder, "bin", configuration, TargetFramework, assemblyName + ".dll");
}
