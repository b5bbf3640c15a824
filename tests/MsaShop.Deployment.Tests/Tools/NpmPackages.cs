using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.Tools;

/// <summary>
/// The node packages a validator folder commits (package.json and package-lock.json), installed by
/// <c>npm ci</c> once per test run, and again only when the committed lock file is newer than the install.
/// </summary>
internal static class NpmPackages
{
    private static readonly Dictionary<string, Lazy<Task>> Installs = [];

    public static Task EnsureInstalledAsync(string directory)
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
