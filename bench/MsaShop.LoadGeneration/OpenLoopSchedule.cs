using System.Diagnostics;

namespace MsaShop.LoadGeneration;

/// <summary>How an open-loop run went: what was offered, started, dropped, and how far behind the dispatcher fell.</summary>
public sealed record OpenLoopOutcome(long Offered, long Started, long Dropped, TimeSpan MaxDispatchLag, TimeSpan Elapsed, int MaxInFlight);

/// <summary>
/// Open-loop arrivals: each operation starts when it is due, whether or not earlier ones have finished, so a slow
/// server meets the same arrival rate and its queueing shows in the latency (no coordinated omission). A closed
/// loop of N callers would instead slow down with the server and hide its queue.
/// </summary>
public static class OpenLoopSchedule
{
    /// <summary>
    /// When each arrival is due, from the start: evenly spaced at <paramref name="rate"/>, or a Poisson process of that mean.
    /// </summary>
    public static IEnumerable<TimeSpan> Arrivals(double rate, TimeSpan duration, bool poisson = false, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        random ??= Random.Shared;
        var gapSeconds = 1 / rate;
        var at = 0.0;
        for (long i = 0; ; i++)
        {
            // Exponential gaps (inverse transform of a uniform draw) make a Poisson process.
            at = poisson ? at + -Math.Log(1 - random.NextDouble()) * gapSeconds : i * gapSeconds;
            if (at >= duration.TotalSeconds)
            {
                yield break;
            }
            yield return TimeSpan.FromSeconds(at);
        }
    }

    /// <summary>
    /// Starts <paramref name="operation"/> at every arrival (on the thread pool, so a slow start never delays the
    /// next one), with its index and the Stopwatch timestamp it was due at; then waits for all to finish. An arrival
    /// that finds <paramref name="maxInFlight"/> operations running is dropped and counted, never queued.
    /// </summary>
    public static Task<OpenLoopOutcome> RunAsync(
        IEnumerable<TimeSpan> arrivals, Func<long, long, Task> operation, int maxInFlight, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arrivals);
        ArgumentNullException.ThrowIfNull(operation);
        return RunAsync(arrivals.Select((due, index) => (due, (long)index)), a => a.due, (a, dueTimestamp) =>
            operation(a.Item2, dueTimestamp), maxInFlight, cancellationToken);
    }

    /// <summary>
    /// As the overload above, for arrivals that carry what to do (<paramref name="dueOf"/> says when each is due):
    /// they are read one at a time as they come due, so a long run holds no plan in memory.
    /// </summary>
    public static async Task<OpenLoopOutcome> RunAsync<TArrival>(
        IEnumerable<TArrival> arrivals, Func<TArrival, TimeSpan> dueOf, Func<TArrival, long, Task> operation, int maxInFlight,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arrivals);
        ArgumentNullException.ThrowIfNull(dueOf);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxInFlight);

        var inFlight = new InFlight();
        long offered = 0, started = 0, dropped = 0;
        var maxLag = TimeSpan.Zero;
        var start = Stopwatch.GetTimestamp();
        foreach (var arrival in arrivals)
        {
            var due = dueOf(arrival);
            var dueTimestamp = start + (long)(due.TotalSeconds * Stopwatch.Frequency);
            await DelayUntilAsync(dueTimestamp, cancellationToken);
            var lag = Stopwatch.GetElapsedTime(dueTimestamp);
            if (lag > maxLag)
            {
                maxLag = lag;
            }

            offered++;
            if (!inFlight.TryEnter(maxInFlight))
            {
                dropped++;
                continue;
            }
            started++;
            ThreadPool.UnsafeQueueUserWorkItem(static async state =>
            {
                try
                {
                    await state.operation(state.arrival, state.dueTimestamp);
                }
                catch (Exception)
                {
                    // An operation records its own failures; nothing escapes to crash the thread pool.
                }
                finally
                {
                    state.inFlight.Exit();
                }
            }, (operation, arrival, dueTimestamp, inFlight), preferLocal: false);
        }

        await inFlight.DrainedAsync(cancellationToken);
        return new OpenLoopOutcome(offered, started, dropped, maxLag, Stopwatch.GetElapsedTime(start), inFlight.Peak);
    }

    /// <summary>
    /// Returns once the Stopwatch has reached <paramref name="timestamp"/>, never before: an arrival started early would
    /// have its latency, measured from when it was due, come out shorter than the time it really waited.
    /// </summary>
    /// <remarks>Task.Delay counts whole milliseconds of a coarser clock and may end a little early; so it waits again
    /// for what the Stopwatch says is left.</remarks>
    public static async Task DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        while (Stopwatch.GetTimestamp() < timestamp)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
            await Task.Delay(left < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : left, cancellationToken);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private sealed class InFlight
    {
        private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;
        private int _peak;
        private int _finished;

        public int Peak => Volatile.Read(ref _peak);

        public bool TryEnter(int max)
        {
            if (Volatile.Read(ref _count) >= max)
            {
                return false;
            }
            var now = Interlocked.Increment(ref _count);
            if (now > _peak)
            {
                Volatile.Write(ref _peak, now);
            }
            return true;
        }

        public void Exit()
        {
            if (Interlocked.Decrement(ref _count) == 0 && Volatile.Read(ref _finished) == 1)
            {
                _drained.TrySetResult();
            }
        }

        public Task DrainedAsync(CancellationToken cancellationToken)
        {
            Volatile.Write(ref _finished, 1);
            if (Volatile.Read(ref _count) == 0)
            {
                _drained.TrySetResult();
            }
            return _drained.Task.WaitAsync(cancellationToken);
        }
    }
}
