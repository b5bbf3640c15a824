using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MsaShop.Messaging;

/// <summary>
/// The outbox's safety net: every <see cref="MessagingOptions.OutboxPollingInterval"/> it publishes the rows the relay did
/// not get out (the broker was away, the process that committed them stopped first, or they were committed without
/// <see cref="IOutbox.CommitAsync"/>), in batches while there are more. After a failure (broker or database down) it backs
/// off exponentially and tries again; rows are never lost.
/// </summary>
internal sealed partial class OutboxDispatcher(
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
                var outcome = await publisher.PublishNextBatchAsync(stoppingToken);
                if (outcome == OutboxBatchPublisher.Outcome.PublishFailed)
                {
                    await BackOffAsync(stoppingToken);
                    continue;
                }

                _backoff = TimeSpan.Zero;
                if (outcome == OutboxBatchPublisher.Outcome.Drained)
                {
                    await Task.Delay(options.Value.OutboxPollingInterval, stoppingToken);
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
