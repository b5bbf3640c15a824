using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;
using MsaShop.Deployment.Tests.ManifestRun;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.Images;

/// <summary>The test classes that share one <see cref="PublishedShop"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PublishedShopDefinition : ICollectionFixture<PublishedShop>
{
    public const string Name = "published images";
}

/// <summary>
/// Once for the tests that need it: a registry on 127.0.0.1, the four images published to it by
/// <c>eng/containers/publish.sh</c> (the script people run), and the rendered dev overlay run from them with podman
/// (<see cref="PodmanCluster"/>): its StatefulSets, then its migrations Jobs, then its Deployments, each configured
/// only by what the manifests say. The dev overlay's images are the ones published here (as kind load would give a
/// cluster), its servers' images the AppHost's (MsaShop's bookworm ones where no registry answers); a workload whose
/// image cannot be had here is left out and listed. Everything it makes carries the label
/// <c>msashop.image-proof=&lt;id&gt;</c> and goes when it is disposed, or, should this process die first, when a reaper
/// sees it gone. Under eng/test.sh they also carry the run's marker (<c>msashop.test-run</c>), which the script
/// checks for leftovers.
/// </summary>
public sealed class PublishedShop : IAsyncLifetime
{
    // Removes what one fixture made: the Services' forwarders by process group, its containers and network by label and name,
    // the images it pulled, the registry process and the directory holding its storage and the pods' volumes.
    // Arguments: runtime, label, network, directory.
    private const string CleanupScript = """
        runtime=$1 label=$2 network=$3 directory=$4
        for pid in $(cat "$directory/forwarders.pid" 2>/dev/null); do kill -KILL -- "-$pid" 2>/dev/null; done
        now=(); [ "$runtime" != podman ] || now=(-t 0)
        ids=$("$runtime" ps -aq --filter "label=$label")
        [ -z "$ids" ] || "$runtime" rm -f -v "${now[@]}" $ids > /dev/null 2>&1
        "$runtime" network rm "$network" > /dev/null 2>&1
        [ ! -s "$directory/registry.pid" ] || kill -KILL "$(cat "$directory/registry.pid")" 2>/dev/null
        [ ! -s "$directory/images" ] || "$runtime" rmi $(cat "$directory/images") > /dev/null 2>&1
        rm -rf "$directory"
        true
        """;

    private readonly string _id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    // The network, the start of every container's name, and the directory (registry storage, state for the cleanup).
    private readonly string _name;
    private readonly string _directory;
    private readonly List<string> _labels;
    private Process? _reaper;
    private LocalRegistry? _registry;
    private PodmanCluster? _shop;

    public PublishedShop()
    {
        _name = $"msashop-images-{_id}";
        _directory = Path.Combine(Path.GetTempPath(), _name);
        _labels = [$"msashop.image-proof={_id}"];
        if (Environment.GetEnvironmentVariable("MSASHOP_TEST_RUN") is { Length: > 0 } run)
        {
            _labels.Add($"msashop.test-run={run}");
        }
    }

    internal ContainerRuntime Runtime { get; } = ContainerRuntime.Current;

    internal LocalRegistry Registry => _registry ?? throw new InvalidOperationException("not started");

    internal PodmanCluster Shop => _shop ?? throw new InvalidOperationException("not started");

    /// <summary>The dev overlay, rendered: what runs.</summary>
    internal RenderedManifests Manifests { get; private set; } = null!;

    /// <summary>The key the services check tokens with: the dev overlay's (development-only) jwt-signing-key Secret.</summary>
    public string SigningKey { get; private set; } = "";

    /// <summary>The commit checked out (git HEAD): one of each image's tags, and its revision label.</summary>
    public string Commit { get; private set; } = "";

    /// <summary>The version the repository declares (VersionPrefix in Directory.Build.props): the other tag.</summary>
    public string Version { get; } = XDocument.Load(RepositoryRoot.Combine("Directory.Build.props"))
        .Descendants("VersionPrefix").Single().Value;

    /// <summary>
    /// MsaShop's own images (MSASHOP_CONTAINER_IMAGES=bookworm): its servers, and its .NET base under the services';
    /// otherwise Aspire's and the SDK's. Decided as the scripts decide it (eng/lib/prerequisites.sh).
    /// </summary>
    public bool UsesBookwormImages { get; private set; }

    /// <summary>Service → the image it runs: the commit's tag in the registry.</summary>
    public IReadOnlyDictionary<string, string> Images { get; private set; } = new Dictionary<string, string>();

    public TimeSpan PublishTime { get; private set; }

    public TimeSpan StartTime { get; private set; }

    // xunit disposes the fixture when this throws too.
    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        StartReaper();
        _registry = await LocalRegistry.StartAsync(Path.Combine(_directory, "registry"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "registry.pid"), _registry.Pid.ToString(CultureInfo.InvariantCulture));
        Commit = (await RunAsync("git", "rev-parse", "HEAD")).Trim();
        var choice = (await RunAsync("bash", "-c",
            "source eng/lib/prerequisites.sh && msashop_ensure_container_runtime && msashop_choose_container_images && echo " +
                "\"${MSASHOP_CONTAINER_IMAGES:-}\"")).Trim();
        UsesBookwormImages = choice == "bookworm";
        Manifests = await Overlay.RenderAsync(Overlay.Dev);
        SigningKey = PodEnvironment.Data(Manifests, "Secret", RenderedManifests.NameOf(Manifests.OfKind("Secret")
            .Single(secret => RenderedManifests.NameOf(secret).StartsWith("jwt-signing-key", StringComparison.Ordinal))))["signingKey"];

        Images = Deployables.Names.ToDictionary(service => service, service =>
            $"{_registry.Address}/{Deployables.RepositoryOf(service)}:{Commit}");
        await File.WriteAllLinesAsync(Path.Combine(_directory, "images"), Images.Values);
        var images = await ImagesAsync();
        _shop = new PodmanCluster(Runtime, Manifests, _name, _labels, _directory, image => images.GetValueOrDefault(image));
        await _shop.CreateNetworkAsync();

        // The servers start while the images are published: neither needs the other. Both are waited for,
        // even when one fails, so that nothing is still being created while the cleanup runs.
        var servers = _shop.RunAsync("StatefulSet");
        await Task.WhenAll(PublishAsync(choice), servers);

        var watch = Stopwatch.StartNew();
        foreach (var image in Images.Values)
        {
            await Runtime.RunAsync(["pull", "-q", .. Runtime.PlainHttpPull, image]);
        }
        await _shop.RunAsync("Job");
        await _shop.RunAsync("Deployment");
        StartTime = watch.Elapsed;
    }

    /// <summary>The four images, published to the registry by the script people run.</summary>
    private async Task PublishAsync(string containerImages)
    {
        var watch = Stopwatch.StartNew();
        // No compiler server started here may outlive the test run (eng/test.sh checks).
        await RunAsync("env", $"MSASHOP_CONTAINER_IMAGES={containerImages}", "bash", "eng/containers/publish.sh", "--registry",
            Registry.Address,
            "--", "-p:UseSharedCompilation=false");
        PublishTime = watch.Elapsed;
    }

    /// <summary>
    /// The image each manifest image runs from here: MsaShop's services from the registry they were published to; the
    /// servers from the AppHost's choice (AppHost/ContainerImageExtensions.cs, as eng/containers/images.sh lists it),
    /// matched by repository; anything else as it is, if this machine has it. Left out: what cannot be had.
    /// </summary>
    private async Task<Dictionary<string, string>> ImagesAsync()
    {
        var servers = (await RunAsync("bash", "eng/containers/images.sh", UsesBookwormImages ? "--list" : "--aspire-defaults"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(image => UsesBookwormImages ? "localhost/" + image : image)
            .ToDictionary(image => image.Split(':')[0].Split('/')[^1]);
        var chosen = new Dictionary<string, string>();
        foreach (var image in Manifests.PodTemplates.SelectMany(p => p.Containers).Select(c => (string)c["image"]!).Distinct())
        {
            var repository = image.Split('@')[0].Split(':')[0];
            if (Deployables.Names.FirstOrDefault(s => Deployables.RepositoryOf(s) == repository) is { } service)
            {
                chosen[image] = Images[service];
            }
            else if (servers.TryGetValue(repository.Split('/')[^1], out var server))
            {
                chosen[image] = server;
            }
            else if (await Runtime.SucceedsAsync("image", "exists", image))
            {
                chosen[image] = image;
            }
        }

        return chosen;
    }

    /// <summary>The base image the SDK builds on: MsaShop's own as publish.sh pushed it, or the SDK's default for net10.0.</summary>
    public async Task<string> ExpectedBaseImageAsync() => UsesBookwormImages
        ? $"{Registry.Address}/{(await RunAsync("bash", "eng/containers/aspnet-base.sh", "--name")).Trim()}"
        : "mcr.microsoft.com/dotnet/aspnet:10.0";

    public async ValueTask DisposeAsync()
    {
        if (_reaper is null)
        {
            return;
        }
        if (!_reaper.HasExited)
        {
            _reaper.Kill();
            await _reaper.WaitForExitAsync();
        }
        _reaper.Dispose();
        _reaper = null;
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }
        _shop?.Dispose();
        await ProcessRunner.RunAsync("bash", ["-c", CleanupScript, "cleanup", .. CleanupArguments()], RepositoryRoot.Path);
    }

    /// <summary>Polls for this process; once it is gone (killed, crashed), runs the cleanup.</summary>
    private void StartReaper()
    {
        var script = "owner=$1; shift; while kill -0 \"$owner\" 2>/dev/null; do sleep 1; done\n" + CleanupScript;
        _reaper = Process.Start(new ProcessStartInfo("bash",
            ["-c", script, "msashop-images-reaper", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), .. CleanupArguments()])
        {
            UseShellExecute = false,
        })!;
    }

    private string[] CleanupArguments() => [Runtime.Name, _labels[0], _name, _directory];

    private static async Task<string> RunAsync(string fileName, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(fileName, arguments, RepositoryRoot.Path);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{Tail(result.Output)}\n{Tail(result.Error)}");
        }
        return result.Output;
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(40));
}
