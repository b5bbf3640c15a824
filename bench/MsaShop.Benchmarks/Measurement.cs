namespace MsaShop.Benchmarks;

/// <summary>What one case measured: each operation's latency, and the wall-clock time all of them took.</summary>
public sealed class Measurement(BenchmarkCase benchmarkCase, IEnumerable<double> latenciesInMicroseconds, TimeSpan elapsed)
{
    private readonly double[] _sortedLatencies = latenciesInMicroseconds.Order().ToArray();

    public string Name => benchmarkCase.Name;

    public int Callers => benchmarkCase.Callers;

    public int Operations => _sortedLatencies.Length;

    public double OperationsPerSecond => Operations / elapsed.TotalSeconds;

    public double MeanMicroseconds => _sortedLatencies.Average();

    /// <summary>The latency that <paramref name="fraction"/> of the operations did not exceed (nearest rank).</summary>
    public double PercentileMicroseconds(double fraction) =>
        _sortedLatencies[Math.Max(0, (int)Math.Ceiling(fraction * Operations) - 1)];
}
