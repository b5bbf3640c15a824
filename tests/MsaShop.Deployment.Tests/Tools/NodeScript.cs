using System.Text.Json;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.Tools;

/// <summary>
/// Runs a validator folder's node script: JSON in on stdin, JSON out on stdout. The folder commits its
/// package.json and package-lock.json; <c>npm ci</c> installs them once per test run, and again only when
/// the committed lock file is newer than the install.
/// </summary>
internal static class NodeScript
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private static readonly Dictionary<string, Lazy<Task>> Installs = [];

    public static async Task<TReport> RunAsync<TReport>(string directory, string script, JsonNode input)
    {
        await EnsureInstalledAsync(directory);
        var result = await ProcessRunner.RunAsync("node", [script], directory, input.ToJsonString());
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({result.ExitCode}):\n{result.Error}");
        }

        return JsonSerializer.Deserialize<TReport>(result.Output, WebJson)!;
    }

    private static Task EnsureInstalledAsync(string directory)
    {
        lock (Installs)
        {
            if (!Installs.TryGetValue(directory, out var install))
            {
                install = new Lazy<Task>(() => InstallAsync(directory));
                Installs[directory] = install;
            }

            return install.Value;
        }
    }

    private static async Task InstallAsync(string directory)
    {
        // npm ci writes node_modules/.package-lock.json last: its absence or age means "install".
        var installedLock = Path.Combine(directory, "node_modules", ".package-lock.json");
        var committedLock = Path.Combine(directory, "package-lock.json");
        if (File.Exists(installedLock) && File.GetLastWriteTimeUtc(installedLock) >= File.GetLastWriteTimeUtc(committedLock))
        {
            return;
        }

        var result = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], directory);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {directory} failed ({result.ExitCode}):\n{result.Error}");
        }
    }
}
