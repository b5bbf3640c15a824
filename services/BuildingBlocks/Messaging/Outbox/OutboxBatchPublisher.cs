using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MsaShop.Messaging;

/// <summary>
/// Publishes one batch of pending outbox rows: claims them (<c>FOR UPDATE SKIP LOCKED</c>, so two replicas never
/// take the same row), publishes them in id order and marks each sent as soon as the broker has it.
/// <list type="bullet">
/// <item>A claim lives only while the dispatcher talks to PostgreSQL: the transaction's
/// <c>idle_in_transaction_session_timeout</c> (<see cref="MessagingOptions.OutboxClaimTimeout"/>) ends the connection of a
/// dispatcher frozen mid-batch, and another replica takes the rows.</item>
/// <item>A row whose event type this version of the service does not know is left pending for a version that does
/// (a rolling deploy), never set aside; the rows after it go on.</item>
/// <item>A row that fails <see cref="MessagingOptions.OutboxMaxAttempts"/> times is set aside (failed_at, error, a metric)
/// once a row after it is published, proof that the broker works and the fault is the row's.</item>
/// </list>
/// </summary>
internal sealed partial class OutboxBatchPublisher(
    NpgsqlDataSource dataSource,
    IBus bus,
    IOptions<MessagingOptions> options,
    ILogger<OutboxBatchPublisher> logger)
{
    // Event types this process cannot load: their rows are left out of its batches for good.
    private readonly ConcurrentDictionary<string, bool> _unknownTypes = new(StringComparer.Ordinal);

    public enum Outcome
    {
        /// <summary>Nothing is left to publish.</summary>
        Drained,

        /// <summary>A full batch was handled; more rows may be waiting.</summary>
        MoreWaiting,

        /// <summary>A publish failed (broker down or slow): the rest of the batch stays pending, in order.</summary>
        PublishFailed,
    }

    public async Task<Outcome> PublishNextBatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var batch = await ClaimBatchAsync(transaction, settings, cancellationToken);

        var outcome = batch.Count < settings.OutboxBatchSize ? Outcome.Drained : Outcome.MoreWaiting;
        (PendingOutboxMessage Row, string Error)? suspect = null;
        foreach (var row in batch)
        {
            if (OutboxMessageTypes.Resolve(row.MessageType) is not { } type)
            {
                WaitForAVersionThatKnows(row);
                continue;
            }

            if (ReadMessage(row, type) is not { } message)
            {
                await SetAsideAsync(transaction, row, $"cannot read the payload as {row.MessageType}");
                continue;
            }

            try
            {
                await PublishAsync(row, message, type, cancellationToken);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested)
            {
                LogStopping(logger, ex);
                outcome = Outcome.PublishFailed;
                break;
            }
            catch (Exception ex)
            {
                LogPublishFailed(logger, ex, row.MessageId, row.MessageType);
                var attempts = IsBrokerUnavailable(ex) ? 0 : await RecordFailureAsync(transaction, row, ex);
                if (suspect is null && attempts >= settings.OutboxMaxAttempts)
                {
                    // Try the next row: if the broker takes it, this one is poison. Ordering no longer matters for it.
                    suspect = (row, Describe(ex));
                    continue;
                }

                // Stop here, so nothing after this row overtakes it; the dispatcher backs off and retries.
                outcome = Outcome.PublishFailed;
                break;
            }

            // One statement per row: records what reached the broker, and keeps the claim alive while the batch goes out.
            await MarkSentAsync(transaction, row);
            if (suspect is { } poison)
            {
                await SetAsideAsync(transaction, poison.Row, $"publish failed {settings.OutboxMaxAttempts}+ times while later rows went out: {poison.Error}");
                suspect = null;
            }
        }

        await transaction.CommitAsync(CancellationToken.None);
        return outcome;
    }

    private async Task<List<PendingOutboxMessage>> ClaimBatchAsync(NpgsqlTransaction transaction, MessagingOptions settings, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        // Transaction-local: a dispatcher silent for longer loses its connection, its locks and so its claim.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT set_config('idle_in_transaction_session_timeout', @timeout, true)",
            new { timeout = $"{(long)settings.OutboxClaimTimeout.TotalMilliseconds}ms" }, transaction, cancellationToken: cancellationToken));
        return (await connection.QueryAsync<PendingOutboxMessage>(new CommandDefinition(
            """
            SELECT id, message_id AS MessageId, message_type AS MessageType, payload::text AS Payload,
                   trace_parent AS TraceParent, trace_state AS TraceState
            FROM outbox
            WHERE sent_at IS NULL AND failed_at IS NULL AND NOT (message_type = ANY(@unknownTypes))
            ORDER BY id
            LIMIT @batchSize
            FOR UPDATE SKIP LOCKED
            """,
            new { batchSize = settings.OutboxBatchSize, unknownTypes = _unknownTypes.Keys.ToArray() },
            transaction, cancellationToken: cancellationToken))).AsList();
    }

    private async Task PublishAsync(PendingOutboxMessage row, object body, Type type, CancellationToken cancellationToken)
    {
        using var activity = StartPublishActivity(row, $"outbox publish {type.Name}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        // The row's own MessageId: a re-publish (after a crash before sent_at was committed) is a duplicate the inbox recognises.
        await bus.Publish(body, type, Pipe.Execute<PublishContext>(context => context.MessageId = row.MessageId), timeout.Token);
    }

    /// <summary>A timeout or a lost connection says the broker is away, not that the row is bad: it does not count against the row.</summary>
    private static bool IsBrokerUnavailable(Exception exception) =>
        exception is OperationCanceledException or TimeoutException or ConnectionException or TransportUnavailableException
        || (exception.InnerException is { } inner && IsBrokerUnavailable(inner));

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

    private void WaitForAVersionThatKnows(PendingOutboxMessage row)
    {
        if (_unknownTypes.TryAdd(row.MessageType, true))
        {
            LogUnknownType(logger, row.MessageType);
        }
    }

    private object? ReadMessage(PendingOutboxMessage row, Type type)
    {
        try
        {
            return JsonSerializer.Deserialize(row.Payload, type, OutboxMessageTypes.PayloadOptions);
        }
        catch (JsonException ex)
        {
            LogUnreadable(logger, ex, row.MessageId, row.MessageType);
            return null;
        }
    }

    private static async Task MarkSentAsync(NpgsqlTransaction transaction, PendingOutboxMessage row) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET sent_at = now() WHERE id = @Id", new { row.Id }, transaction));

    private static Task<int> RecordFailureAsync(NpgsqlTransaction transaction, PendingOutboxMessage row, Exception exception) =>
        transaction.Connection!.ExecuteScalarAsync<int>(new CommandDefinition(
            "UPDATE outbox SET attempts = attempts + 1, error = @error WHERE id = @Id RETURNING attempts",
            new { row.Id, error = Describe(exception) }, transaction));

    /// <summary>Every exception in the chain, outermost first: the innermost usually says what is wrong.</summary>
    private static string Describe(Exception exception) =>
        exception.InnerException is { } inner
            ? $"{exception.GetType().Name}: {exception.Message} ---> {Describe(inner)}"
            : $"{exception.GetType().Name}: {exception.Message}";

    private async Task SetAsideAsync(NpgsqlTransaction transaction, PendingOutboxMessage row, string error)
    {
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET failed_at = now(), error = @error WHERE id = @Id", new { row.Id, error }, transaction));
        MessagingTelemetry.OutboxRowsSetAside.Add(1, new KeyValuePair<string, object?>("messaging.message.type", row.MessageType));
        LogSetAside(logger, row.MessageId, row.MessageType, error);
    }

    [LoggerMessage(LogLevel.Warning, "Publishing outbox message {MessageId} ({MessageType}) failed; it stays pending and is retried")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid messageId, string messageType);

    [LoggerMessage(LogLevel.Debug, "Stopping while publishing the outbox; the rest of the batch stays pending")]
    private static partial void LogStopping(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Outbox rows of type {MessageType} wait for a version of this service that knows the type; rows after them go on")]
    private static partial void LogUnknownType(ILogger logger, string messageType);

    [LoggerMessage(LogLevel.Error, "Outbox message {MessageId} cannot be read as {MessageType}")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, Guid messageId, string messageType);

    [LoggerMessage(LogLevel.Error, "Outbox message {MessageId} ({MessageType}) is set aside (failed_at) and will not be published: {Error}")]
    private static partial void LogSetAside(ILogger logger, Guid messageId, string messageType, string error);
}
