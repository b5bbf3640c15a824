using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;

namespace MsaShop.Messaging;

/// <summary>Publishes one outbox row's message, as the relay and the dispatcher both do: with the row's MessageId, in its trace.</summary>
internal sealed class OutboxMessagePublisher(IBus bus, IOptions<MessagingOptions> options)
{
    /// <summary>Publishes <paramref name="message"/>; throws when the broker does not confirm it within the publish timeout.</summary>
    public async Task PublishAsync(Guid messageId, object message, string? traceParent, string? traceState,
        CancellationToken cancellationToken)
    {
        var type = message.GetType();
        using var activity = StartPublishActivity(traceParent, traceState, $"outbox publish {type.Name}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        // The row's own MessageId: a re-publish (after a crash before sent_at was committed) is a duplicate the inbox recognises.
        await bus.Publish(message, type, Pipe.Execute<PublishContext>(context => context.MessageId = messageId), timeout.Token);
    }

    /// <summary>
    /// A timeout or a lost connection says the broker is away, not that the row is bad: it does not count against the row.
    /// </summary>
    public static bool IsBrokerUnavailable(Exception exception) =>
        exception is OperationCanceledException or TimeoutException or ConnectionException or TransportUnavailableException
        || (exception.InnerException is { } inner && IsBrokerUnavailable(inner));

    /// <summary>Makes the trace captured at enqueue time current, so MassTransit's send span (and headers) join it.</summary>
    private static Activity? StartPublishActivity(string? traceParent, string? traceState, string name)
    {
        if (!ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent))
        {
            return MessagingTelemetry.Source.StartActivity(name, ActivityKind.Internal, default(ActivityContext));
        }

        if (MessagingTelemetry.Source.StartActivity(name, ActivityKind.Internal, parent) is { } activity)
        {
            return activity;
        }

        // Nobody listens to our source: a bare Activity still carries the parent into MassTransit's span.
        var carrier = new Activity(name).SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
        carrier.TraceStateString = parent.TraceState;
        return carrier.Start();
    }
}
