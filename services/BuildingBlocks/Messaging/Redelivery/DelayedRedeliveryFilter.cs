using MassTransit;
using MassTransit.RabbitMqTransport;
using MassTransit.Serialization;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MsaShop.Messaging.Redelivery;

/// <summary>
/// Redelivery that outlasts an outage, with plain RabbitMQ (no delayed-message plugin): when the in-process
/// retries inside this filter have given up, the message is parked in a queue whose time-to-live dead-letters
/// it back onto the endpoint's queue minutes later, with the same MessageId (the inbox still recognises it).
/// Past <see cref="RedeliverySchedule.Limit"/> redeliveries, or for an <see cref="UnprocessableMessageException"/>,
/// the exception goes on and MassTransit moves the message to <c>{endpoint}_error</c>.
/// </summary>
internal sealed partial class DelayedRedeliveryFilter<TMessage>(RedeliverySchedule schedule, ILogger logger)
    : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    public void Probe(ProbeContext context) => context.CreateFilterScope("delayedRedelivery");

    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        try
        {
            await next.Send(context);
        }
        catch (Exception ex) when (ex is not UnprocessableMessageException && !context.CancellationToken.IsCancellationRequested)
        {
            var redelivery = context.GetRedeliveryCount() + 1;
            if (schedule.DelayBefore(redelivery) is not { } delay)
            {
                throw;
            }

            // Several consumers of one message type on the endpoint each fail in their own pipe: park the delivery once;
            // the redelivered copy reaches all of them again, and the inbox makes that harmless for those that succeeded.
            if (!context.ReceiveContext.GetOrAddPayload(() => new Parking()).TryClaim())
            {
                return;
            }

            await ParkAsync(context, redelivery, delay);
            MessagingTelemetry.Redeliveries.Add(1, new KeyValuePair<string, object?>("messaging.message.type", typeof(TMessage).Name));
            LogRedelivering(logger, ex, typeof(TMessage).Name, context.MessageId, delay, redelivery, schedule.Limit);
        }
    }

    private async Task ParkAsync(ConsumeContext<TMessage> context, int redelivery, TimeSpan delay)
    {
        var queue = schedule.QueueFor(delay);
        await DeclareAsync(context, queue, delay);
        var parking = await context.GetSendEndpoint(new Uri($"exchange:{queue}"));
        // Same MessageId, headers and body; only the redelivery count changes. The send is confirmed by the
        // broker before this returns, so acknowledging the original afterwards loses nothing.
        await parking.Send(context.Message,
            new ForwardMessagePipe<TMessage>(context,
                Pipe.Execute<SendContext<TMessage>>(send => send.Headers.Set(MessageHeaders.RedeliveryCount, redelivery))),
            context.CancellationToken);
    }

    /// <summary>Declares a fanout exchange and a queue of that name whose messages expire after <paramref name="delay"/>
    /// into the endpoint's queue. Idempotent, so it runs every time: a parking queue someone deleted is back before
    /// anything is sent to it. It runs on a channel of its own: a queue declared before with other arguments closes
    /// the channel it is declared on, and closing the one the message came in on would requeue every delivery in
    /// flight, the failing one forever; here it fails the message instead, which then goes to <c>{endpoint}_error</c>.</summary>
    private async Task DeclareAsync(ConsumeContext context, string queue, TimeSpan delay)
    {
        if (!context.ReceiveContext.TryGetPayload<ChannelContext>(out var channelContext))
        {
            throw new InvalidOperationException("Delayed redelivery needs the RabbitMQ transport.");
        }

        var cancellationToken = context.CancellationToken;
        await using var channel =
            await channelContext.ConnectionContext.Connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false,
                cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?>
            {
                ["x-message-ttl"] = (long)delay.TotalMilliseconds,
                // The default exchange routes by queue name: back to this endpoint alone, not to every subscriber.
                ["x-dead-letter-exchange"] = "",
                ["x-dead-letter-routing-key"] = schedule.EndpointQueue,
            }, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(queue, queue, routingKey: "", cancellationToken: cancellationToken);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == Constants.PreconditionFailed)
        {
            LogParkingQueueConflict(logger, queue, ex.ShutdownReason.ReplyText);
            throw new InvalidOperationException(
                $"The parking queue {queue} exists with other arguments than delayed redelivery declares; delete it so it is " +
                    $"declared again.", ex);
        }
    }

    private sealed class Parking
    {
        private int _claimed;

        public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;
    }

    [LoggerMessage(LogLevel.Error,
        "Parking queue {Queue} exists with other arguments ({Reply}): messages that need a delayed redelivery go to the error queue " +
        "until it is deleted")]
    private static partial void LogParkingQueueConflict(ILogger logger, string queue, string reply);

    [LoggerMessage(LogLevel.Warning,
        "{MessageType} {MessageId} failed after its retries; redelivering it in {Delay} (redelivery {Redelivery} of {Limit})")]
    private static partial void LogRedelivering(ILogger logger, Exception exception, string messageType, Guid? messageId, TimeSpan delay,
        int redelivery, int limit);
}
