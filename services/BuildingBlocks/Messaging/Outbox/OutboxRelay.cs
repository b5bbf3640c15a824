using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MsaShop.Messaging;

/// <summary>
/// Publishes the rows this process commits, the moment they are committed (<see cref="IOutbox.CommitAsync"/> hands them
/// over, message objects and all): no polling and no claim, just the publishes and one statement marking the confirmed
/// rows sent. Rows committed meanwhile go out together in the next batch. Whatever the relay does not get out (the
/// broker is away, the process stops or dies first) stays pending in the table, where <see cref="OutboxDispatcher"/>
/// takes it once it is <see cref="MessagingOptions.OutboxSweepAfter"/> old.
/// </summary>
internal sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource, OutboxMessagePublisher publisher, IOptions<MessagingOptions> options, ILogger<OutboxRelay> logger)
    : BackgroundService
{
    // Bounded: under a broker outage the table holds the backlog, not this process's memory.
    private readonly Channel<CommittedOutboxMessage> _committed = Channel.CreateBounded<CommittedOutboxMessage>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Takes rows just committed; one it has no room for is left to the dispatcher.</summary>
    public void Relay(IEnumerable<CommittedOutboxMessage> rows)
    {
        foreach (var row in rows)
        {
            _committed.Writer.TryWrite(row);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<CommittedOutboxMessage>();
        try
        {
            while (await _committed.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < options.Value.OutboxBatchSize && _committed.Reader.TryRead(out var row))
                {
                    batch.Add(row);
                }
                await PublishAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued here is pending in the table, for the dispatcher.
        }
    }

    private async Task PublishAsync(List<CommittedOutboxMessage> batch, CancellationToken cancellationToken)
    {
        var publishes = batch.Select(row =>
            (row.Id, Publish: publisher.PublishAsync(row.MessageId, row.Message, row.TraceParent, row.TraceState, cancellationToken)))
            .ToList();
        var sent = new List<long>(publishes.Count);
        foreach (var (id, publish) in publishes)
        {
            try
            {
                await publish;
                sent.Add(id);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The dispatcher counts the row's attempts, sets poison aside and backs off; the relay just moves on.
                LogLeftToDispatcher(logger, ex, id);
            }
        }

        try
        {
            await MarkSentAsync(sent, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotMarked(logger, ex, sent.Count);
        }
    }

    private async Task MarkSentAsync(List<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET sent_at = now() WHERE id = ANY(@ids) AND sent_at IS NULL", new { ids = ids.ToArray() },
            cancellationToken: cancellationToken));
    }

    [LoggerMessage(LogLevel.Debug, "Relaying outbox row {Id} failed; the dispatcher publishes it later")]
    private static partial void LogLeftToDispatcher(ILogger logger, Exception exception, long id);

    [LoggerMessage(LogLevel.Warning,
        "{Count} relayed outbox rows could not be marked sent; the dispatcher publishes them again and their consumers' inboxes skip them")]
    private static partial void LogNotMarked(ILogger logger, Exception exception, int count);
}
