using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace MsaShop.Harness;

/// <summary>
/// The AppHost's publish manifest (<c>--publisher manifest</c>, the model azd reads): what each service is told. Published
/// once per AppHost build and kept beside it, named by a hash of the AppHost's assembly and dependency list; publishing
/// builds the model only, it starts neither DCP nor a container.
/// </summary>
public sealed class AppHostManifest
{
    private const string AppHost = "MsaShop.AppHost";
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(2);

    public AppHostManifest(JsonObject resources, string directory)
    {
        Resources = resources;
        Directory = directory;
    }

    /// <summary>The manifest's resources by name.</summary>
    public JsonObject Resources { get; }

    /// <summary>Where the manifest lives: its project paths are relative to it.</summary>
    public string Directory { get; }

    /// <summary>The projects it runs (project.v0), in the manifest's order.</summary>
    public IReadOnlyList<string> Projects =>
        [.. Resources.Where(resource => (string?)resource.Value!["type"] == "project.v0").Select(resource => resource.Key)];

    /// <summary>A resource by name; an unknown name is an error.</summary>
    public JsonObject Resource(string name) =>
        Resources[name]?.AsObject() ?? throw new KeyNotFoundException($"the AppHost manifest has no resource '{name}'");

    /// <summary>A resource's environment as the manifest states it: values with their {resource.…} expressions.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOf(string resource) =>
        (Resource(resource)["env"]?.AsObject() ?? []).ToDictionary(variable => variable.Key, variable => (string)variable.Value!);

    /// <summary>The project file a project resource runs.</summary>
    public string ProjectPathOf(string resource) =>
        Path.GetFullPath(Path.Combine(Directory,
            (string?)Resource(resource)["path"] ?? throw new InvalidOperationException($"{resource} is no project")));

    /// <summary>A copy whose resources can be edited without touching this one.</summary>
    public AppHostManifest Clone() => new(Resources.DeepClone().AsObject(), Directory);

    public static AppHostManifest Parse(string json, string directory) =>
        new(JsonNode.Parse(json)!["resources"]!.AsObject(), directory);

    /// <summary>
    /// The manifest of the AppHost built in <paramref name="repositoryRoot"/> for <paramref name="configuration"/>: read from
    /// beside the build when this build has published it already, published there otherwise.
    /// </summary>
    public static async Task<AppHostManifest> OfBuildAsync(
        string repositoryRoot, string configuration, CancellationToken cancellationToken = default)
    {
        var output = Path.Combine(repositoryRoot, "AppHost", "bin", configuration, "net10.0");
        var assembly = Path.Combine(output, AppHost + ".dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assembly} is not built: dotnet build AppHost -c {configuration} first.", assembly);
        }

        var manifest = Path.Combine(output, $"aspire-manifest.{BuildHash(output)}.json");
        if (!File.Exists(manifest))
        {
            await PublishAsync(output, manifest, cancellationToken);
        }

        return Parse(await File.ReadAllTextAsync(manifest, cancellationToken), output);
    }

    // The AppHost's assembly and its dependency list: a rebuild that changes neither publishes the same manifest.
    private static string BuildHash(string output)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in new[] { AppHost + ".dll", AppHost + ".deps.json" })
        {
            hash.AppendData(File.ReadAllBytes(Path.Combine(output, file)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static async Task PublishAsync(string output, string manifest, CancellationToken cancellationToken)
    {
        // Written under a name of its own (.json: the publisher's sign of a file, not a folder) and moved into place,
        // so runs publishing side by side never read half a file.
        var written = Path.Combine(output, $"aspire-manifest.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp.json");
        var start = new ProcessStartInfo("dotnet", [AppHost + ".dll", "--publisher", "manifest", "--output-path", written])
        {
            WorkingDirectory = output,
        };
        // Aspire's default images and no environment of the caller's: the manifest a deploying machine gets.
        string[] callers = ["MSASHOP_CONTAINER_IMAGES", "MSASHOP_CONTAINER_LIFETIME", "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT"];
        foreach (var variable in callers)
        {
            start.Environment.Remove(variable);
        }

        try
        {
            await CommandRunner.RunAsync(start, PublishTimeout, cancellationToken);
            File.Move(written, manifest, overwrite: true);
        }
        finally
        {
            File.Delete(written);
        }
    }
}
