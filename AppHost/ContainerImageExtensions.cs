using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace MsaShop.AppHost;

/// <summary>
/// Which images PostgreSQL, Redis and RabbitMQ run from: Aspire's defaults, unless the one setting
/// <c>MSASHOP_CONTAINER_IMAGES=bookworm</c> points the AppHost at MsaShop's own images, built from Debian
/// bookworm's packages by <c>eng/containers/images.sh</c> where no container registry can be reached
/// (the way a company points Aspire at its registry mirror).
/// </summary>
internal static class ContainerImageExtensions
{
    public const string Setting = "MSASHOP_CONTAINER_IMAGES";
    public const string Bookworm = "bookworm";

    /// <summary>
    /// Uses <paramref name="image"/>:<paramref name="tag"/> from the local image store when the setting asks for the bookworm images.
    /// </summary>
    public static IResourceBuilder<T> WithBookwormImage<T>(this IResourceBuilder<T> container, string image, string tag)
        where T : ContainerResource
    {
        switch (container.ApplicationBuilder.Configuration[Setting])
        {
            case null or "":
                return container;
            case Bookworm:
                // podman keeps images it built itself under the "localhost" registry; they are never pulled.
                return container.WithImageRegistry("localhost").WithImage(image, tag).WithImagePullPolicy(ImagePullPolicy.Never);
            case var other:
                throw new InvalidOperationException(
                    $"{Setting}={other} is not known: leave it unset for Aspire's images, or set it to {Bookworm}.");
        }
    }
}
