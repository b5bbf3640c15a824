using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MsaShop.Messaging;

/// <summary>
/// A background job every replica runs every <see cref="Interval"/>: one batch per call of <see cref="RunBatchAsync"/>
/// (its own transaction, its events through the outbox), again at once while batches come back full. A failure (the
/// database down) is logged and the job tries again on the next tick. Replicas keep out of each other's way with
/// <c>FOR UPDATE SKIP LOCKED</c> in their batches. The order timeout sweep and the reconciliations are such jobs.
/// </summary>
public abstract partial class PeriodicBatchService(ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    /// <summary>The most items one batch handles; a batch that handled this many is followed by another at once.</summary>
    protected virtual int BatchSize => 100;

    /// <summary>Handles one batch and returns how many items it handled.</summary>
    protected abstract Task<int> RunBatchAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                while (await RunBatchAsync(stoppingToken) >= BatchSize)
                {
                    // A full batch: there may be more right away.
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogBatchFailed(logger, GetType().Name, ex);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Job} failed; retrying on the next tick")]
    private static partial void LogBatchFailed(ILogger logger, string job, Exception exception);
}
