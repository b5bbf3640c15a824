using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace MsaShop.AppHost.Tests;

/// <summary>
/// The one setting that picks the backing services' images: unset, Aspire's defaults, unchanged; set to
/// <c>bookworm</c>, exactly the images eng/containers/images.sh builds, never pulled.
/// </summary>
public sealed class ContainerImageTests
{
    private static readonly string[] Containers = ["postgres", "cache", "messaging"];

    [Fact]
    public async Task Without_the_setting_Aspire_runs_its_own_images_the_ones_the_scripts_look_for()
    {
        // Empty on the command line overrides whatever the environment says.
        await using var appHost = await CreateAppHostAsync("--MSASHOP_CONTAINER_IMAGES=");

        var images = Containers.Select(name => ImageOf(appHost, name)).ToList();

        Assert.All(images, image => Assert.StartsWith("docker.io/library/", image, StringComparison.Ordinal));
        Assert.Equal(await ImagesScriptAsync("--aspire-defaults"), images);
        Assert.All(Containers, name => Assert.Empty(Resource(appHost, name).Annotations.OfType<ContainerImagePullPolicyAnnotation>()));
    }

    [Fact]
    public async Task With_the_bookworm_setting_the_images_eng_containers_builds_are_used_and_never_pulled()
    {
        await using var appHost = await CreateAppHostAsync("--MSASHOP_CONTAINER_IMAGES=bookworm");

        var images = Containers.Select(name => ImageOf(appHost, name)).ToList();

        Assert.Equal((await ImagesScriptAsync("--list")).Select(image => "localhost/" + image), images);
        Assert.All(Containers, name => Assert.Equal(ImagePullPolicy.Never,
            Resource(appHost, name).Annotations.OfType<ContainerImagePullPolicyAnnotation>().Single().ImagePullPolicy));
    }

    [Fact]
    public async Task An_unknown_setting_is_refused_rather_than_guessed()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => CreateAppHostAsync("--MSASHOP_CONTAINER_IMAGES=alpine"));

        Assert.Contains("MSASHOP_CONTAINER_IMAGES=alpine", error.ToString(), StringComparison.Ordinal);
    }

    private static Task<IDistributedApplicationTestingBuilder> CreateAppHostAsync(string setting) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.MsaShop_AppHost>([setting], TestContext.Current.CancellationToken);

    private static IResource Resource(IDistributedApplicationTestingBuilder appHost, string name) =>
        appHost.Resources.Single(resource => resource.Name == name);

    private static string ImageOf(IDistributedApplicationTestingBuilder appHost, string name)
    {
        var image = Resource(appHost, name).Annotations.OfType<ContainerImageAnnotation>().Last();
        return $"{image.Registry}/{image.Image}:{image.Tag}";
    }

    /// <summary>What <c>bash eng/containers/images.sh &lt;option&gt;</c> prints, one image a line.</summary>
    private static async Task<List<string>> ImagesScriptAsync(string option)
    {
        var repository = Path.GetDirectoryName(Projects.MsaShop_AppHost.ProjectPath)!;
        var start = new ProcessStartInfo("bash", ["eng/containers/images.sh", option])
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
        };
        using var script = Process.Start(start)!;
        var output = await script.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await script.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, script.ExitCode);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
