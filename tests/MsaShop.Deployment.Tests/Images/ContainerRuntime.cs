using System.Text.Json;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.Images;

/// <summary>The container runtime Aspire uses here (ASPIRE_CONTAINER_RUNTIME; podman by default), through its command line.</summary>
internal sealed class ContainerRuntime(string name)
{
    public static ContainerRuntime Current { get; } =
        new(Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } runtime ? runtime : "podman");

    public string Name { get; } = name;

    /// <summary>Pulling from a plain-HTTP registry on loopback: podman must be told; Docker allows 127.0.0.0/8 by itself.</summary>
    public IReadOnlyList<string> PlainHttpPull => Name == "podman" ? ["--tls-verify=false"] : [];

    /// <summary>Runs one command; its standard output, trimmed, or an exception carrying what it printed.</summary>
    public async Task<string> RunAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(Name, arguments, RepositoryRoot.Path);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Name} {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.Error}{result.Output}");
        }
        return result.Output.Trim();
    }

    public async Task<bool> SucceedsAsync(params string[] arguments) =>
        (await ProcessRunner.RunAsync(Name, arguments, RepositoryRoot.Path)).ExitCode == 0;

    /// <summary>The image's configuration (user, ports, environment, labels): <c>image inspect</c>'s <c>Config</c>.</summary>
    public async Task<JsonElement> ImageConfigAsync(string image) =>
        JsonDocument.Parse(await RunAsync("image", "inspect", image)).RootElement[0].GetProperty("Config").Clone();
}
