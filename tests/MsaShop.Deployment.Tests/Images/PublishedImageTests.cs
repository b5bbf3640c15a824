using System.Text.Json;

namespace MsaShop.Deployment.Tests.Images;

/// <summary>What the published images are: read from the registry they were pushed to and the runtime that pulled them.</summary>
[Collection(PublishedShopDefinition.Name)]
public sealed class PublishedImageTests(PublishedShop published, ITestOutputHelper output)
{
    private const string AppUid = "1654";

    [Fact]
    public async Task The_registry_holds_the_four_deployables_each_tagged_with_tags_that_name_the_commit()
    {
        output.WriteLine(
            $"publish.sh took {published.PublishTime.TotalSeconds:0.0} s, the services' containers " +
            $"{published.StartTime.TotalSeconds:0.0} s more to be healthy");
        var expected = Deployables.Names.Select(Deployables.RepositoryOf).ToList();
        if (published.UsesBookwormImages)
        {
            // The base image publish.sh pushed first, for the SDK to read.
            var baseImage = await published.ExpectedBaseImageAsync();
            expected.Add(baseImage[(published.Registry.Address.Length + 1)..baseImage.LastIndexOf(':')]);
        }

        Assert.Equal(expected.Order(), (await published.Registry.RepositoriesAsync()).Order());
        foreach (var service in Deployables.Names)
        {
            var tags = await published.Registry.TagsAsync(Deployables.RepositoryOf(service));
            // The version alone would be reused by every build of it: each tag names the commit too.
            Assert.Equal(new[] { published.Commit, $"{published.Version}-{published.Commit[..12]}" }.Order(), tags.Order());
        }
    }

    [Fact]
    public async Task Every_image_runs_its_process_as_the_non_root_app_user()
    {
        foreach (var (service, image) in published.Images)
        {
            var config = await published.Runtime.ImageConfigAsync(image);
            Assert.Equal(AppUid, config.GetProperty("User").GetString());

            // The process itself: real, effective, saved and file-system ids of PID 1 in the running container.
            var status = await published.Runtime.RunAsync("exec", published.Shop.ContainerOf(service), "cat", "/proc/1/status");
            var ids = status.Split('\n')
                .Where(line => line.StartsWith("Uid:", StringComparison.Ordinal) || line.StartsWith("Gid:", StringComparison.Ordinal));
            Assert.All(ids, line =>
                Assert.Equal([AppUid, AppUid, AppUid, AppUid], line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..]));
        }
    }

    [Fact]
    public async Task Every_image_is_labelled_with_its_commit_its_version_and_its_base_image()
    {
        var baseImage = await published.ExpectedBaseImageAsync();
        foreach (var image in published.Images.Values)
        {
            var labels = (await published.Runtime.ImageConfigAsync(image)).GetProperty("Labels");

            Assert.Equal(published.Commit, Label(labels, "org.opencontainers.image.revision"));
            Assert.Equal(published.Version, Label(labels, "org.opencontainers.image.version"));
            Assert.Equal(baseImage, Label(labels, "org.opencontainers.image.base.name"));
        }
    }

    [Fact]
    public async Task Every_image_runs_its_own_service_on_port_8080()
    {
        foreach (var (service, image) in published.Images)
        {
            var config = await published.Runtime.ImageConfigAsync(image);
            var assembly = Path.GetFileNameWithoutExtension(Deployables.Projects[service]);

            Assert.Equal(["dotnet", $"/app/{assembly}.dll"], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(["8080/tcp"], config.GetProperty("ExposedPorts").EnumerateObject().Select(port => port.Name));
            Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        }
    }

    private static string? Label(JsonElement labels, string name) =>
        labels.TryGetProperty(name, out var value) ? value.GetString() : null;
}
