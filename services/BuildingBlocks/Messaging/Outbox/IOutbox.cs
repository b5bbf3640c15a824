using Npgsql;

namespace MsaShop.Messaging;

/// <summary>
/// The transactional outbox: an integration event is written in the same PostgreSQL transaction as the
/// state change that caused it, and published to the broker after commit by <see cref="OutboxDispatcher"/>.
/// </summary>
public interface IOutbox
{
    /// <summary>
    /// Writes <paramref name="message"/> in <paramref name="transaction"/>: it is published if and only if the
    /// transaction commits. The dispatcher is notified on commit.
    /// </summary>
    Task EnqueueAsync<T>(NpgsqlTransaction transaction, T message, CancellationToken cancellationToken = default)
        where T : class;
}
