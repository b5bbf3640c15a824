using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace MsaShop.Messaging;

/// <summary>
/// Writes outbox rows in the caller's transaction; <see cref="CommitAsync"/> hands them to the relay once they are committed.
/// </summary>
internal sealed class PostgresOutbox(OutboxRelay relay) : IOutbox
{
    // The rows each transaction wrote, for the relay once it commits. Npgsql reuses transaction objects, so a transaction
    // begun here starts with an empty list: rows of an earlier one that rolled back can never be relayed.
    private readonly ConditionalWeakTable<NpgsqlTransaction, List<CommittedOutboxMessage>> _written = [];

    public async Task<NpgsqlTransaction> BeginTransactionAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        _written.AddOrUpdate(transaction, []);
        return transaction;
    }

    public async Task EnqueueAsync<T>(NpgsqlTransaction transaction, T message, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(message);
        var connection = transaction.Connection
            ?? throw new InvalidOperationException("The transaction has already completed.");

        // The trace of the request that caused the event, so its consumers' spans join the same trace.
        var activity = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current : null;
        var type = message.GetType();
        var messageId = Guid.CreateVersion7();
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO outbox (message_id, message_type, payload, trace_parent, trace_state)
            VALUES (@messageId, @MessageType, @Payload::jsonb, @TraceParent, @TraceState)
            RETURNING id
            """,
            new
            {
                messageId,
                MessageType = OutboxMessageTypes.NameOf(type),
                Payload = JsonSerializer.Serialize(message, type, OutboxMessageTypes.PayloadOptions),
                TraceParent = activity?.Id,
                TraceState = activity?.TraceStateString,
            },
            transaction,
            cancellationToken: cancellationToken));
        _written.GetOrCreateValue(transaction)
            .Add(new CommittedOutboxMessage(id, messageId, message, activity?.Id, activity?.TraceStateString));
    }

    public async Task CommitAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        try
        {
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            // Not committed (or not known to be): the rows are not the relay's to publish.
            _written.Remove(transaction);
            throw;
        }

        if (_written.TryGetValue(transaction, out var rows) && _written.Remove(transaction))
        {
            relay.Relay(rows);
        }
    }
}
