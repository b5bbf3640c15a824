using System.Diagnostics;
using System.Runtime.Versioning;

namespace MsaShop.Deployment.Tests;

/// <summary>Every script that takes arguments answers --help at once: it builds, installs and starts nothing first.</summary>
[SupportedOSPlatform("linux")] // the scripts are bash
public sealed class ScriptHelpTests : IDisposable
{
    // Stand-ins, first on PATH, for every program a script could reach for before its work: each records its call.
    private static readonly string[] Watched = ["dotnet", "apt-get", "podman", "docker", "curl", "jq", "debootstrap"];

    private readonly DirectoryInfo _shims = Directory.CreateTempSubdirectory("msashop-help-");

    private string CallsFile => Path.Combine(_shims.FullName, "calls");

    public ScriptHelpTests()
    {
        foreach (var program in Watched)
        {
            var shim = Path.Combine(_shims.FullName, program);
            File.WriteAllText(shim, $"#!/bin/sh\necho {program} \"$@\" >> '{CallsFile}'\nexit 1\n");
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Theory]
    [InlineData("eng/run.sh", "bash eng/run.sh token <subject>")]
    [InlineData("eng/test.sh", "N passed, N failed")]
    [InlineData("eng/chaos.sh", "bash eng/chaos.sh redis ordering")]
    [InlineData("eng/bench.sh", "bash eng/bench.sh")]
    [InlineData("eng/containers/publish.sh", "--registry HOST:PORT")]
    [InlineData("eng/containers/images.sh", "--aspire-defaults")]
    [InlineData("eng/containers/aspnet-base.sh", "--name")]
    [InlineData("eng/containers/registry.sh", "registry.sh <dir> <port>")]
    public async Task Help_is_the_usage_and_nothing_else_happens(string script, string usage)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepositoryRoot.Path, RedirectStandardOutput = true,
            RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--help");
        start.Environment["PATH"] = $"{_shims.FullName}:{Environment.GetEnvironmentVariable("PATH")}";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(process.ExitCode == 0, $"{script} --help exited {process.ExitCode}: {error}");
        Assert.Contains(usage, output, StringComparison.Ordinal);
        Assert.DoesNotContain("#!", output, StringComparison.Ordinal);
        Assert.False(File.Exists(CallsFile), $"{script} --help ran: {(File.Exists(CallsFile) ? File.ReadAllText(CallsFile) : "")}");
    }

    public void Dispose() => _shims.Delete(recursive: true);
}
