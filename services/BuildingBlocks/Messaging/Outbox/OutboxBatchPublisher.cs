using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MsaShop.Messaging;

/// <summary>
/// The dispatcher's sweep: publishes one batch of the rows the relay did not (pending <see cref="MessagingOptions.OutboxSweepAfter"/>
/// after they were written). Claims them (<c>FOR UPDATE SKIP LOCKED</c>, so two replicas never take the same row), starts
/// their publishes in id order without waiting for each confirm, then marks the rows the broker confirmed sent, in one
/// statement. Waiting for each confirm before the next publish would cap the sweep at a few dozen messages a second: the
/// broker confirms a persistent message that is not consumed at once only after writing it to disk, many at a time.
/// <list type="bullet">
/// <item>A claim lives only while the dispatcher talks to PostgreSQL: the transaction's
/// <c>idle_in_transaction_session_timeout</c> (<see cref="MessagingOptions.OutboxClaimTimeout"/>, longer than a batch's
/// publishes may take) ends the connection of a dispatcher frozen mid-batch, and another replica takes the rows.</item>
/// <item>A row whose event type this version of the service does not know is left pending for a version that does
/// (a rolling deploy), never set aside; the rows after it go on.</item>
/// <item>A failed publish leaves its row pending for the next batch, with its attempt counted unless the broker was
/// away. A row that failed <see cref="MessagingOptions.OutboxMaxAttempts"/> times is set aside (failed_at, error, a metric)
/// once a row after it has been published, proof that the broker works and the fault is the row's.</item>
/// </list>
/// </summary>
internal sealed partial class OutboxBatchPublisher(
    NpgsqlDataSource dataSource,
    OutboxMessagePublisher publisher,
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

        /// <summary>A publish failed (broker down or slow, or the row's own fault): its row stays pending.</summary>
        PublishFailed,
    }

    public async Task<Outcome> PublishNextBatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var batch = await ClaimBatchAsync(transaction, settings, cancellationToken);
        var outcome = batch.Count < settings.OutboxBatchSize ? Outcome.Drained : Outcome.MoreWaiting;

        // Started in id order: MassTransit hands them to the broker in that order.
        var publishes = new List<(PendingOutboxMessage Row, Task Publish)>(batch.Count);
        foreach (var row in batch)
        {
            if (OutboxMessageTypes.Resolve(row.MessageType) is not { } type)
            {
                WaitForAVersionThatKnows(row);
            }
            else if (ReadMessage(row, type) is not { } message)
            {
                await SetAsideAsync(transaction, row, $"cannot read the payload as {row.MessageType}");
            }
            else
            {
                publishes.Add((row, publisher.PublishAsync(row.MessageId, message, row.TraceParent, row.TraceState, cancellationToken)));
            }
        }

        var sent = new List<long>(publishes.Count);
        var suspects = new List<(PendingOutboxMessage Row, string Error)>();
        foreach (var (row, publish) in publishes)
        {
            try
            {
                await publish;
                sent.Add(row.Id);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested)
            {
                LogStopping(logger, ex);
                outcome = Outcome.PublishFailed;
            }
            catch (Exception ex)
            {
                LogPublishFailed(logger, ex, row.MessageId, row.MessageType);
                outcome = Outcome.PublishFailed;
                if (!OutboxMessagePublisher.IsBrokerUnavailable(ex)
                    && await RecordFailureAsync(transaction, row, ex) >= settings.OutboxMaxAttempts)
                {
                    suspects.Add((row, Describe(ex)));
                }
            }
        }

        await MarkSentAsync(transaction, sent);
        foreach (var (row, error) in suspects)
        {
            await SetAsideIfOvertakenAsync(transaction, row,
                $"publish failed {settings.OutboxMaxAttempts}+ times while later rows went out: {error}");
        }

        await transaction.CommitAsync(CancellationToken.None);
        return outcome;
    }

    private async Task<List<PendingOutboxMessage>> ClaimBatchAsync(NpgsqlTransaction transaction, MessagingOptions settings,
        CancellationToken cancellationToken)
    {
        // The timeout is transaction-local: a dispatcher silent for longer loses its connection, its locks and so its claim.
        // One round trip for both statements.
        await using var results = await transaction.Connection!.QueryMultipleAsync(new CommandDefinition(
            """
            SELECT set_config('idle_in_transaction_session_timeout', @timeout, true);
            SELECT id, message_id AS MessageId, message_type AS MessageType, payload::text AS Payload,
                   trace_parent AS TraceParent, trace_state AS TraceState
            FROM outbox
            WHERE sent_at IS NULL AND failed_at IS NULL AND created_at < now() - @sweepAfter AND NOT (message_type = ANY(@unknownTypes))
            ORDER BY id
            LIMIT @batchSize
            FOR UPDATE SKIP LOCKED
            """,
            new
            {
                timeout = $"{(long)settings.OutboxClaimTimeout.TotalMilliseconds}ms",
                batchSize = settings.OutboxBatchSize,
                sweepAfter = settings.OutboxSweepAfter,
                unknownTypes = _unknownTypes.Keys.ToArray(),
            },
            transaction, cancellationToken: cancellationToken));
        await results.ReadAsync<string>();
        return (await results.ReadAsync<PendingOutboxMessage>()).AsList();
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

    private static Task<int> RecordFailureAsync(NpgsqlTransaction transaction, PendingOutboxMessage row, Exception exception) =>
        transaction.Connection!.ExecuteScalarAsync<int>(new CommandDefinition(
            "UPDATE outbox SET attempts = attempts + 1, error = @error WHERE id = @Id RETURNING attempts",
            new { row.Id, error = Describe(exception) }, transaction));

    /// <summary>Every exception in the chain, outermost first: the innermost usually says what is wrong.</summary>
    private static string Describe(Exception exception) =>
        exception.InnerException is { } inner
            ? $"{exception.GetType().Name}: {exception.Message} ---> {Describe(inner)}"
            : $"{exception.GetType().Name}: {exception.Message}";

    private static async Task MarkSentAsync(NpgsqlTransaction transaction, List<long> ids)
    {
        if (ids.Count > 0)
        {
            await transaction.Connection!.ExecuteAsync(new CommandDefinition(
                "UPDATE outbox SET sent_at = now() WHERE id = ANY(@ids)", new { ids = ids.ToArray() }, transaction));
        }
    }

    private async Task SetAsideAsync(NpgsqlTransaction transaction, PendingOutboxMessage row, string error)
    {
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET failed_at = now(), error = @error WHERE id = @Id", new { row.Id, error }, transaction));
        RecordSetAside(row, error);
    }

    /// <summary>Sets the row aside if a row after it has been published (in this batch or an earlier one): the broker works.</summary>
    private async Task SetAsideIfOvertakenAsync(NpgsqlTransaction transaction, PendingOutboxMessage row, string error)
    {
        var setAside = await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox SET failed_at = now(), error = @error
            WHERE id = @Id AND EXISTS (SELECT 1 FROM outbox AS later WHERE later.id > @Id AND later.sent_at IS NOT NULL)
            """,
            new { row.Id, error }, transaction));
        if (setAside == 1)
        {
            RecordSetAside(row, error);
        }
    }

    private void RecordSetAside(PendingOutboxMessage row, string error)
    {
        MessagingTelemetry.OutboxRowsSetAside.Add(1, new KeyValuePair<string, object?>("messaging.message.type", row.MessageType));
        LogSetAside(logger, row.MessageId, row.MessageType, error);
    }

    [LoggerMessage(LogLevel.Warning, "Publishing outbox message {MessageId} ({MessageType}) failed; it stays pending and is retried")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid messageId, string messageType);

    [LoggerMessage(LogLevel.Debug, "Stopping while publishing the outbox; the rest of the batch stays pending")]
    private static partial void LogStopping(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning,
        "Outbox rows of type {MessageType} wait for a version of this service that knows the type; rows after them go on")]
    private static partial void LogUnknownType(ILogger logger, string messageType);

    [LoggerMessage(LogLevel.Error, "Outbox message {MessageId} cannot be read as {MessageType}")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, Guid messageId, string messageType);

    [LoggerMessage(LogLevel.Error,
        "Outbox message {MessageId} ({MessageType}) is set aside (failed_at) and will not be published: {Error}")]
    private static partial void LogSetAside(ILogger logger, Guid messageId, string messageType, string error);
}
