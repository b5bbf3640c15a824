using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using MsaShop.Deployment.Tests.Manifests;
using MsaShop.Harness;

namespace MsaShop.Deployment.Tests.Images;

/// <summary>
/// A container registry on 127.0.0.1 (eng/containers/registry.sh: Debian's docker-registry, plain HTTP),
/// storing under a directory of the caller's; the script execs the server, so this PID is the registry's.
/// </summary>
internal sealed class LocalRegistry : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _client;

    private LocalRegistry(Process process, int port)
    {
        _process = process;
        Address = $"127.0.0.1:{port}";
        _client = new HttpClient { BaseAddress = new Uri($"http://{Address}/v2/") };
    }

    /// <summary>host:port, as image names and ContainerRegistry write it.</summary>
    public string Address { get; }

    public int Pid => _process.Id;

    public static async Task<LocalRegistry> StartAsync(string directory)
    {
        var port = FreePort.Next();
        var log = Path.Combine(directory, "registry.log");
        Directory.CreateDirectory(directory);
        var process = Process.Start(new ProcessStartInfo("bash",
            ["-c", "exec bash eng/containers/registry.sh \"$1\" \"$2\" > \"$3\" 2>&1", "registry", directory,
                port.ToString(CultureInfo.InvariantCulture), log])
        {
            WorkingDirectory = RepositoryRoot.Path,
            UseShellExecute = false,
        })!;
        var registry = new LocalRegistry(process, port);
        await Eventually.TrueAsync(async () => process.HasExited || await registry.AnswersAsync(),
            $"the registry on {registry.Address} to answer");
        if (process.HasExited)
        {
            throw new InvalidOperationException($"the registry exited ({process.ExitCode}):\n{File.ReadAllText(log)}");
        }
        return registry;
    }

    /// <summary>Every repository it holds (the distribution API's catalog).</summary>
    public async Task<IReadOnlyList<string>> RepositoriesAsync() =>
        (await _client.GetFromJsonAsync<CatalogResponse>("_catalog"))!.Repositories;

    public async Task<IReadOnlyList<string>> TagsAsync(string repository) =>
        (await _client.GetFromJsonAsync<TagsResponse>($"{repository}/tags/list"))!.Tags ?? [];

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var response = await _client.GetAsync(new Uri("", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private sealed record CatalogResponse(IReadOnlyList<string> Repositories);

    private sealed record TagsResponse(string Name, IReadOnlyList<string>? Tags);
}
