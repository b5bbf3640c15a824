using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace MsaShop.AppHost;

/// <summary>
/// How long PostgreSQL, Redis and RabbitMQ live. On F5 they are <c>persistent</c>: they outlive the AppHost, keep
/// their data in named volumes, and the next start re-uses them instead of initialising a server again. The one
/// setting <c>MSASHOP_CONTAINER_LIFETIME=session</c> (the tests) gives fresh containers, removed when the AppHost
/// stops. Publishing ignores it: deployed backing services are no containers of the AppHost's.
/// </summary>
internal static class ContainerLifetimeExtensions
{
    public const string Setting = "MSASHOP_CONTAINER_LIFETIME";
    public const string Persistent = "persistent";
    public const string Session = "session";

    /// <summary>
    /// Keeps the container and the data <paramref name="withDataVolume"/> puts in a volume between runs, unless the
    /// setting asks for a session lifetime.
    /// </summary>
    public static IResourceBuilder<T> WithDataKeptBetweenRuns<T>(this IResourceBuilder<T> container,
        Func<IResourceBuilder<T>, IResourceBuilder<T>> withDataVolume)
        where T : ContainerResource
    {
        if (!container.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return container;
        }

        return container.ApplicationBuilder.Configuration[Setting] switch
        {
            null or "" or Persistent => withDataVolume(container.WithLifetime(ContainerLifetime.Persistent)),
            Session => container,
            var other =>
                throw new InvalidOperationException(
                $"{Setting}={other} is not known: leave it unset (or {Persistent}) to keep the backing services between runs, or set it " +
                $"to {Session}."),
        };
    }
}
