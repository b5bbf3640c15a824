using System.Reflection;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.Tools;

/// <summary>
/// The Bicep CLI that restore downloaded (NuGet package Azure.Bicep.CommandLine.linux-x64, see the
/// project file): compiles a Bicep file to its ARM template offline, type-checking every resource
/// against the resource types shipped inside the binary.
/// </summary>
internal static class BicepCli
{
    /// <summary>The ARM template, and every diagnostic the compiler or its linter reported.</summary>
    public sealed record Compilation(JsonObject Template, IReadOnlyList<string> Diagnostics);

    private static readonly string Executable = typeof(BicepCli).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "BicepPath").Value!;

    public static async Task<Compilation> BuildAsync(string bicepFile)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"The Bicep CLI is not at {Executable}: restore the deployment tests' project.");
        }

        var result = await ProcessRunner.RunAsync(Executable, ["build", bicepFile, "--stdout"], Path.GetDirectoryName(bicepFile)!);
        var diagnostics = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build {bicepFile} failed ({result.ExitCode}):\n{result.Error}");
        }

        return new Compilation(JsonNode.Parse(result.Output)!.AsObject(), diagnostics);
    }
}
