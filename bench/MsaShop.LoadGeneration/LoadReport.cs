namespace MsaShop.LoadGeneration;

/// <summary>What a run offered and what the shop answered, per operation; the orders it placed, for the ledger check.</summary>
public sealed record LoadReport(LoadProfile Profile, OpenLoopOutcome Schedule,
    IReadOnlyDictionary<ShopOperation, OperationStats> Operations, IReadOnlyList<PlacedOrder> Orders)
{
    /// <summary>Every operation's latencies together.</summary>
    public LatencyHistogram AllLatencies
    {
        get
        {
            var all = new LatencyHistogram();
            foreach (var stats in Operations.Values)
            {
                all.Add(stats.Latency);
            }
            return all;
        }
    }

    public long Failed => Operations.Values.Sum(s => s.Failed) + Schedule.Dropped;

    /// <summary>Answered requests per second over the whole run.</summary>
    public double Throughput => Operations.Values.Sum(s => s.Answered) / Schedule.Elapsed.TotalSeconds;

    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine($"offered {Schedule.Offered:N0} at {Profile.Rate:N0}/s for {Profile.Duration.TotalSeconds:0} s ({Profile.Mix}); " +
            $"started {Schedule.Started:N0}, dropped {Schedule.Dropped:N0}, peak in flight {Schedule.MaxInFlight:N0}, " +
            $"dispatcher lag ≤ {Schedule.MaxDispatchLag.TotalMilliseconds:N1} ms; {Throughput:N0} answers/s");
        writer.WriteLine();
        writer.WriteLine("| operation | requests | 2xx | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | failures |");
        writer.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var stats in Operations.Values.Where(s => s.Answered + s.Timeouts + s.ConnectionErrors > 0))
        {
            var l = stats.Latency;
            writer.WriteLine($"| {stats.Operation} | {stats.Answered + stats.Timeouts + stats.ConnectionErrors:N0} | " +
                $"{stats.Succeeded:N0} | {Ms(l.PercentileMicroseconds(50))} | {Ms(l.PercentileMicroseconds(90))} | " +
                $"{Ms(l.PercentileMicroseconds(99))} | {Ms(l.PercentileMicroseconds(99.9))} | {Ms(l.MaxMicroseconds)} | " +
                $"{stats.DescribeFailures()} |");
        }
    }

    internal static string Ms(long microseconds) =>
        (microseconds / 1000.0).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);
}
