namespace MsaShop.Benchmarks;

/// <summary>Prints measurements as Markdown, ready to paste into docs/benchmarks.md.</summary>
public static class ResultTable
{
    public static void Print(string title, IReadOnlyList<Measurement> measurements)
    {
        Console.WriteLine();
        Console.WriteLine($"### {title}");
        Console.WriteLine();
        Console.WriteLine("| case | callers | operations | ops/s | mean µs | p50 µs | p99 µs |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|");
        foreach (var m in measurements)
        {
            var percentiles = FormattableString.Invariant($"{m.PercentileMicroseconds(0.50):N1} | {m.PercentileMicroseconds(0.99):N1}");
            Console.WriteLine(FormattableString.Invariant(
                $"| {m.Name} | {m.Callers} | {m.Operations:N0} | {m.OperationsPerSecond:N0} | {m.MeanMicroseconds:N1} | {percentiles} |"));
        }
        Console.WriteLine();
    }

    /// <summary>How many times longer <paramref name="slower"/> takes; the median too, as a loaded machine skews the mean.</summary>
    public static void PrintLatencyRatio(Measurement slower, Measurement faster)
    {
        var mean = slower.MeanMicroseconds / faster.MeanMicroseconds;
        var median = slower.PercentileMicroseconds(0.50) / faster.PercentileMicroseconds(0.50);
        Console.WriteLine(FormattableString.Invariant($"- {slower.Name} ÷ {faster.Name}: mean **{mean:N1}×**, p50 **{median:N1}×**"));
    }

    public static void PrintThroughputRatio(Measurement higher, Measurement baseline)
    {
        var ratio = higher.OperationsPerSecond / baseline.OperationsPerSecond;
        Console.WriteLine(FormattableString.Invariant($"- {higher.Name} ÷ {baseline.Name}, operations per second: **{ratio:N1}×**"));
    }
}
