using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MsaShop.Messaging;

/// <summary>
/// A background job every replica runs every <see cref="Interval"/>: it finds the items due (<see cref="FindDueAsync"/>,
/// oldest first, a batch at a time, again at once while batches come back full) and handles each on its own
/// (<see cref="HandleAsync"/>: its own transaction, its events through the outbox). An item whose handling fails is
/// logged and backed off (twice <see cref="Interval"/>, doubling per failure, at most 64 times it) while the rest go
/// on: one bad row never blocks the others. A database that cannot be reached ends the tick instead, and the job
/// tries again on the next. Replicas keep out of each other's way with <c>FOR UPDATE SKIP LOCKED</c> in
/// <see cref="HandleAsync"/>. The order timeout sweep and the reconciliations are such jobs.
/// </summary>
public abstract partial class PeriodicBatchService(ILogger logger) : BackgroundService
{
    private readonly Dictionary<Guid, BackOff> _backOffs = [];

    protected abstract TimeSpan Interval { get; }

    /// <summary>The most items one batch finds; a batch that found this many is followed by another at once.</summary>
    protected virtual int BatchSize => 100;

    /// <summary>Up to <paramref name="batchSize"/> items due now, oldest first, none of <paramref name="backedOff"/>.</summary>
    protected abstract Task<IReadOnlyList<Guid>> FindDueAsync(IReadOnlyCollection<Guid> backedOff, int batchSize,
        CancellationToken cancellationToken);

    /// <summary>
    /// Handles the item <paramref name="id"/>, if it is still due and no one else holds it (another replica, a consumer).
    /// </summary>
    protected abstract Task HandleAsync(Guid id, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogBatchFailed(logger, GetType().Name, ex);
            }
        }
    }

    /// <summary>One tick: every batch due, each item on its own.</summary>
    protected async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        // What this tick already handled is not asked for again: a row another replica holds is skipped, not waited for.
        var seen = new HashSet<Guid>();
        IReadOnlyList<Guid> due;
        do
        {
            var now = DateTime.UtcNow;
            due = await FindDueAsync([.. seen, .. _backOffs.Where(b => b.Value.Until > now).Select(b => b.Key)], BatchSize,
                cancellationToken);
            foreach (var item in due)
            {
                seen.Add(item);
                try
                {
                    await HandleAsync(item, cancellationToken);
                    _backOffs.Remove(item);
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or DbException { IsTransient: true }))
                {
                    var failures = (_backOffs.GetValueOrDefault(item)?.Failures ?? 0) + 1;
                    var wait = Interval * Math.Pow(2, Math.Min(failures, 6));
                    _backOffs[item] = new BackOff(failures, DateTime.UtcNow + wait);
                    LogItemFailed(logger, GetType().Name, item, failures, wait, ex);
                }
            }
            // An item backed off long ago and not seen since was settled elsewhere.
            foreach (var settled in _backOffs.Where(b => b.Value.Until + Interval * 64 < now).Select(b => b.Key).ToList())
            {
                _backOffs.Remove(settled);
            }
        }
        while (due.Count >= BatchSize);
    }

    private sealed record BackOff(int Failures, DateTime Until);

    [LoggerMessage(LogLevel.Warning, "{Job} failed; retrying on the next tick")]
    private static partial void LogBatchFailed(ILogger logger, string job, Exception exception);

    [LoggerMessage(LogLevel.Error, "{Job} failed on {Item} ({Failures} in a row); the others go on, it is tried again in {Wait}")]
    private static partial void LogItemFailed(ILogger logger, string job, Guid item, int failures, TimeSpan wait, Exception exception);
}
