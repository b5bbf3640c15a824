using MassTransit;
using Npgsql;

namespace MsaShop.Messaging;

/// <summary>
/// An idempotent consumer whose effect is one SQL statement that is idempotent by itself (a conditional UPDATE): the inbox
/// record and the effect go to PostgreSQL together, in one round trip and one implicit transaction, where
/// <see cref="InboxConsumer{TMessage}"/> needs four (begin with the inbox record, the effect, the events, commit). A
/// redelivered message finds its inbox row taken, and the statement matching nothing. For effects that publish no event.
/// </summary>
public abstract class InboxStatementConsumer<TMessage>(NpgsqlDataSource dataSource) : IConsumer<TMessage>
    where TMessage : class
{
    /// <summary>The consumer's key in the inbox; keep it stable, or earlier messages count as new.</summary>
    protected virtual string InboxName => GetType().FullName ?? GetType().Name;

    /// <summary>The effect: one statement with positional parameters ($1, $2, …), harmless when it runs twice.</summary>
    protected abstract (string Sql, object[] Parameters) Effect(TMessage message);

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var messageId = InboxRecord.MessageIdOf(context);
        var (sql, parameters) = Effect(context.Message);

        // Without a transaction of its own, a batch runs as one: both statements take effect, or neither.
        await using var batch = dataSource.CreateBatch();
        var inbox = new NpgsqlBatchCommand(InboxRecord.Sql);
        inbox.Parameters.AddRange(InboxRecord.Parameters<TMessage>(InboxName, messageId));
        var effect = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            effect.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        batch.BatchCommands.Add(inbox);
        batch.BatchCommands.Add(effect);
        await batch.ExecuteNonQueryAsync(context.CancellationToken);
        if (inbox.RecordsAffected == 0)
        {
            InboxLog.DuplicateSkipped(InboxLog.LoggerFor(context), InboxName, messageId, typeof(TMessage).Name);
        }
    }
}
