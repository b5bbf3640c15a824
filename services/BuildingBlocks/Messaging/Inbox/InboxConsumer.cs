using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MsaShop.Messaging;

/// <summary>
/// An idempotent consumer: the message id is recorded in the inbox in the same transaction as the effect,
/// so a redelivered message (broker redelivery, outbox re-publish after a crash) has no second effect.
/// If <see cref="HandleAsync"/> throws, the transaction rolls back (inbox row included) and the message is retried.
/// The transaction is committed through the outbox, so the events it enqueued go out at once.
/// </summary>
public abstract class InboxConsumer<TMessage>(NpgsqlDataSource dataSource, IOutbox outbox) : IConsumer<TMessage>
    where TMessage : class
{
    /// <summary>The service's database, for work a derived consumer does outside the inbox transaction.</summary>
    protected NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>The service's outbox: enqueue follow-up events in the inbox transaction.</summary>
    protected IOutbox Outbox { get; } = outbox;

    /// <summary>The consumer's key in the inbox; keep it stable, or earlier messages count as new.</summary>
    protected virtual string InboxName => GetType().FullName ?? GetType().Name;

    /// <summary>The consumer's effect, in <paramref name="transaction"/>; publish follow-up events with
    /// <see cref="IOutbox.EnqueueAsync"/> in the same transaction.</summary>
    protected abstract Task HandleAsync(ConsumeContext<TMessage> context, NpgsqlTransaction transaction);

    /// <summary>
    /// Work before the inbox transaction opens, such as a call to another system: no transaction (and none of its row
    /// locks) is held while it waits. It runs for a redelivered message too, so it must be idempotent by a key of its own.
    /// </summary>
    protected virtual Task PrepareAsync(ConsumeContext<TMessage> context) => Task.CompletedTask;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var messageId = InboxRecord.MessageIdOf(context);

        await PrepareAsync(context);
        await using var connection = await DataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await Outbox.BeginTransactionAsync(connection, context.CancellationToken);
        // A concurrent duplicate waits here on the first one's row and then finds it taken.
        await using var inbox = new NpgsqlCommand(InboxRecord.Sql, connection, transaction);
        inbox.Parameters.AddRange(InboxRecord.Parameters<TMessage>(InboxName, messageId));
        if (await inbox.ExecuteNonQueryAsync(context.CancellationToken) == 0)
        {
            InboxLog.DuplicateSkipped(InboxLog.LoggerFor(context), InboxName, messageId, typeof(TMessage).Name);
            return;
        }

        await HandleAsync(context, transaction);
        await Outbox.CommitAsync(transaction, context.CancellationToken);
        await AfterCommitAsync(context);
    }

    /// <summary>Runs once the effect is committed (never for a skipped duplicate): for side effects outside the
    /// database that must not run ahead of the commit, such as removing cache entries.</summary>
    protected virtual Task AfterCommitAsync(ConsumeContext<TMessage> context) => Task.CompletedTask;
}

internal static partial class InboxLog
{
    public static ILogger LoggerFor(ConsumeContext context) =>
        context.TryGetPayload<IServiceProvider>(out var services)
            ? services.GetService<ILoggerFactory>()?.CreateLogger("MsaShop.Messaging.Inbox") ?? NullLogger.Instance
            : NullLogger.Instance;

    [LoggerMessage(LogLevel.Information, "Skipped duplicate message {MessageId} ({MessageType}) for {Consumer}: already handled")]
    public static partial void DuplicateSkipped(ILogger logger, string consumer, Guid messageId, string messageType);
}
