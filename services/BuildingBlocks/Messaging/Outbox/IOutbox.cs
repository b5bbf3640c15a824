using Npgsql;

namespace MsaShop.Messaging;

/// <summary>
/// The transactional outbox: an integration event is written in the same PostgreSQL transaction as the state change
/// that caused it, and published to the broker once that transaction commits. Begin the transaction with
/// <see cref="BeginTransactionAsync"/> and commit it with <see cref="CommitAsync"/>: then its events go out at once
/// (<see cref="OutboxRelay"/>); committed any other way, they go out at the dispatcher's next sweep.
/// </summary>
public interface IOutbox
{
    /// <summary>Begins a transaction on <paramref name="connection"/> whose events this outbox relays when it commits.</summary>
    Task<NpgsqlTransaction> BeginTransactionAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="message"/> in <paramref name="transaction"/>: it is published if and only if the transaction commits.
    /// </summary>
    Task EnqueueAsync<T>(NpgsqlTransaction transaction, T message, CancellationToken cancellationToken = default)
        where T : class;

    /// <summary>Commits <paramref name="transaction"/> and hands the events it enqueued to the relay.</summary>
    Task CommitAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken = default);
}
