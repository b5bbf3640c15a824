using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MsaShop.Messaging;

/// <summary>
/// Publishes committed outbox rows: woken at once by the NOTIFY an enqueue sends on commit, and every
/// <see cref="MessagingOptions.OutboxPollingInterval"/> in case a notification was missed (e.g. while reconnecting).
/// After a failure (broker or database down) it backs off exponentially and tries again; rows are never lost.
/// </summary>
internal sealed partial class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    OutboxBatchPublisher publisher,
    IOptions<MessagingOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private TimeSpan _backoff;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var listener = await dataSource.OpenConnectionAsync(stoppingToken);
                await listener.ExecuteAsync($"LISTEN {PostgresOutbox.NotificationChannel}");
                while (true)
                {
                    var outcome = await publisher.PublishNextBatchAsync(stoppingToken);
                    if (outcome == OutboxBatchPublisher.Outcome.PublishFailed)
                    {
                        await BackOffAsync(stoppingToken);
                        continue;
                    }

                    _backoff = TimeSpan.Zero;
                    if (outcome == OutboxBatchPublisher.Outcome.Drained)
                    {
                        // Notifications that arrive while publishing are buffered on this connection and end the wait at once.
                        await listener.WaitAsync(options.Value.OutboxPollingInterval, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            // Database down or connection broken: keep the service running and try again.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogDispatchFailed(logger, ex);
                await BackOffAsync(stoppingToken);
            }
        }
    }

    private async Task BackOffAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        _backoff = _backoff == TimeSpan.Zero
            ? settings.DispatchMinBackoff
            : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, settings.DispatchMaxBackoff.Ticks));
        try
        {
            await Task.Delay(_backoff, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the loop ends.
        }
    }

    [LoggerMessage(LogLevel.Warning, "The outbox dispatcher failed; retrying")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
