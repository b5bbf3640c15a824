using System.Diagnostics;

namespace MsaShop.Benchmarks;

/// <summary>
/// Measures the cases of one comparison in the same run: each is warmed up, then they take turns, round after
/// round, so whatever else loads a small machine meanwhile slows every case alike and the ratios stay fair.
/// </summary>
public static class SideBySide
{
    public static async Task<IReadOnlyList<Measurement>> RunAsync(IReadOnlyList<BenchmarkCase> cases, Rounds rounds,
        CancellationToken cancellationToken)
    {
        foreach (var benchmarkCase in cases)
        {
            await TimeRoundAsync(benchmarkCase, rounds.Warmup, cancellationToken);
        }

        var latencies = cases.Select(_ => new List<double>()).ToArray();
        var elapsed = new TimeSpan[cases.Count];
        for (var round = 0; round < rounds.Count; round++)
        {
            for (var i = 0; i < cases.Count; i++)
            {
                var (roundLatencies, roundElapsed) = await TimeRoundAsync(cases[i], rounds.OperationsPerRound, cancellationToken);
                latencies[i].AddRange(roundLatencies);
                elapsed[i] += roundElapsed;
            }
        }
        return cases.Select((benchmarkCase, i) => new Measurement(benchmarkCase, latencies[i], elapsed[i])).ToList();
    }

    /// <summary>The case's callers share one counter: together they run exactly <paramref name="operations"/> operations.</summary>
    private static async Task<(double[] Latencies, TimeSpan Elapsed)> TimeRoundAsync(BenchmarkCase benchmarkCase, int operations,
        CancellationToken cancellationToken)
    {
        var latencies = new double[operations];
        var next = -1;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, benchmarkCase.Callers).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < operations)
            {
                var operationStart = Stopwatch.GetTimestamp();
                await benchmarkCase.Operation(index, cancellationToken);
                latencies[index] = Stopwatch.GetElapsedTime(operationStart).TotalMicroseconds;
            }
        }, cancellationToken)));
        return (latencies, Stopwatch.GetElapsedTime(start));
    }
}
