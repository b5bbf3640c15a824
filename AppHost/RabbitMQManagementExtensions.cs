using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace MsaShop.AppHost;

internal static class RabbitMQManagementExtensions
{
    /// <summary>
    /// On F5, RabbitMQ's management UI and API (exchanges, the services' queues, their redelivery and <c>_error</c>
    /// queues), one click away on the dashboard. Not published: deployed brokers are managed elsewhere.
    /// </summary>
    public static IResourceBuilder<RabbitMQServerResource> WithManagementUIOnF5(this IResourceBuilder<RabbitMQServerResource> rabbit)
    {
        if (!rabbit.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return rabbit;
        }

        // Aspire's images: the same version's "-management" tag. MsaShop's own image enables the plugin itself.
        return rabbit.WithManagementPlugin()
            .WithUrlForEndpoint(rabbit.Resource.ManagementEndpoint.EndpointName, url => url.DisplayText = "RabbitMQ management");
    }
}
