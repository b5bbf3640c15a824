using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MsaShop.Messaging;

/// <summary>
/// Publishes one batch of pending outbox rows: locks them (<c>FOR UPDATE SKIP LOCKED</c>, so two replicas never
/// take the same row), publishes them in id order and marks them sent in the same transaction.
/// </summary>
internal sealed partial class OutboxBatchPublisher(
    NpgsqlDataSource dataSource,
    IBus bus,
    IOptions<MessagingOptions> options,
    ILogger<OutboxBatchPublisher> logger)
{
    public enum Outcome
    {
        /// <summary>Nothing is left to publish.</summary>
        Drained,

        /// <summary>A full batch was published; more rows may be waiting.</summary>
        MoreWaiting,

        /// <summary>A publish failed (broker down or slow): the rest of the batch stays pending, in order.</summary>
        PublishFailed,
    }

    public async Task<Outcome> PublishNextBatchAsync(CancellationToken cancellationToken)
    {
        var batchSize = options.Value.OutboxBatchSize;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var batch = (await connection.QueryAsync<PendingOutboxMessage>(new CommandDefinition(
            """
            SELECT id, message_id AS MessageId, message_type AS MessageType, payload::text AS Payload,
                   trace_parent AS TraceParent, trace_state AS TraceState
            FROM outbox
            WHERE sent_at IS NULL AND failed_at IS NULL
            ORDER BY id
            LIMIT @batchSize
            FOR UPDATE SKIP LOCKED
            """,
            new { batchSize }, transaction, cancellationToken: cancellationToken))).AsList();

        var sent = new List<long>(batch.Count);
        var outcome = batch.Count < batchSize ? Outcome.Drained : Outcome.MoreWaiting;
        foreach (var row in batch)
        {
            if (ReadMessage(row) is not { } message)
            {
                await SetAsideAsync(connection, transaction, row);
                continue;
            }

            try
            {
                await PublishAsync(row, message, cancellationToken);
                sent.Add(row.Id);
            }
            catch (Exception ex)
            {
                // Stop here, so nothing after this row overtakes it; the dispatcher backs off and retries.
                if (!cancellationToken.IsCancellationRequested)
                {
                    LogPublishFailed(logger, ex, row.MessageId, row.MessageType);
                }

                outcome = Outcome.PublishFailed;
                break;
            }
        }

        // Record what did reach the broker even when stopping, so it is not published a second time.
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET sent_at = now() WHERE id = ANY(@sent)", new { sent = sent.ToArray() }, transaction));
        await transaction.CommitAsync(CancellationToken.None);
        return outcome;
    }

    private async Task PublishAsync(PendingOutboxMessage row, (object Body, Type Type) message, CancellationToken cancellationToken)
    {
        using var activity = StartPublishActivity(row, $"outbox publish {message.Type.Name}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        // The row's own MessageId: a re-publish (after a crash before sent_at was committed) is a duplicate the inbox recognises.
        await bus.Publish(message.Body, message.Type, Pipe.Execute<PublishContext>(context => context.MessageId = row.MessageId), timeout.Token);
    }

    /// <summary>Makes the trace captured at enqueue time current, so MassTransit's send span (and headers) join it.</summary>
    private static Activity? StartPublishActivity(PendingOutboxMessage row, string name)
    {
        if (!ActivityContext.TryParse(row.TraceParent, row.TraceState, isRemote: true, out var parent))
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

    private (object Body, Type Type)? ReadMessage(PendingOutboxMessage row)
    {
        var type = OutboxMessageTypes.Resolve(row.MessageType);
        try
        {
            if (type is not null && JsonSerializer.Deserialize(row.Payload, type, OutboxMessageTypes.PayloadOptions) is { } body)
            {
                return (body, type);
            }
        }
        catch (JsonException ex)
        {
            LogUnreadable(logger, ex, row.MessageId, row.MessageType);
            return null;
        }

        LogUnreadable(logger, null, row.MessageId, row.MessageType);
        return null;
    }

    private static async Task SetAsideAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PendingOutboxMessage row) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET failed_at = now(), error = @error WHERE id = @Id",
            new { row.Id, error = $"cannot read {row.MessageType}" }, transaction));

    [LoggerMessage(LogLevel.Warning, "Publishing outbox message {MessageId} ({MessageType}) failed; it stays pending and is retried")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid messageId, string messageType);

    [LoggerMessage(LogLevel.Error, "Outbox message {MessageId} cannot be read as {MessageType}; it is set aside (failed_at) and never published")]
    private static partial void LogUnreadable(ILogger logger, Exception? exception, Guid messageId, string messageType);
}
