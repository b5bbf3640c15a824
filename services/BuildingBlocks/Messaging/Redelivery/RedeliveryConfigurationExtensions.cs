using MassTransit;
using Microsoft.Extensions.Logging;

namespace MsaShop.Messaging.Redelivery;

internal static class RedeliveryConfigurationExtensions
{
    /// <summary>
    /// Delayed redelivery through RabbitMQ queues with a time-to-live (<see cref="DelayedRedeliveryFilter{TMessage}"/>).
    /// Call it before <c>UseMessageRetry</c>, so it wraps the in-process retries and acts once they give up.
    /// </summary>
    public static void UseDelayedRedeliveryQueues(
        this IConsumePipeConfigurator endpoint, string endpointName, MessagingOptions options, ILoggerFactory loggerFactory)
    {
        if (options.RedeliveryLimit > 0)
        {
            _ = new DelayedRedeliveryConfigurationObserver(
                endpoint, new RedeliverySchedule(endpointName, options), loggerFactory.CreateLogger("MsaShop.Messaging.Redelivery"));
        }
    }
}
