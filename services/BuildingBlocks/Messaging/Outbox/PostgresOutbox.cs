using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace MsaShop.Messaging;

/// <summary>Writes outbox rows in the caller's transaction; <c>pg_notify</c> is delivered only if it commits.</summary>
internal sealed class PostgresOutbox : IOutbox
{
    public const string NotificationChannel = "msashop_outbox";

    public Task EnqueueAsync<T>(NpgsqlTransaction transaction, T message, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(message);
        var connection = transaction.Connection
            ?? throw new InvalidOperationException("The transaction has already completed.");

        // The trace of the request that caused the event, so its consumers' spans join the same trace.
        var activity = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current : null;
        var type = message.GetType();
        return connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outbox (message_id, message_type, payload, trace_parent, trace_state)
            VALUES (@MessageId, @MessageType, @Payload::jsonb, @TraceParent, @TraceState);
            SELECT pg_notify(@Channel, '');
            """,
            new
            {
                MessageId = Guid.CreateVersion7(),
                MessageType = OutboxMessageTypes.NameOf(type),
                Payload = JsonSerializer.Serialize(message, type, OutboxMessageTypes.PayloadOptions),
                TraceParent = activity?.Id,
                TraceState = activity?.TraceStateString,
                Channel = NotificationChannel,
            },
            transaction,
            cancellationToken: cancellationToken));
    }
}
