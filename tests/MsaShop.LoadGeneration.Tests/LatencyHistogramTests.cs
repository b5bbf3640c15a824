namespace MsaShop.LoadGeneration.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_are_within_one_percent_of_the_exact_ones()
    {
        var histogram = new LatencyHistogram();
        // 1 µs .. 10 s, one value each, recorded in a scrambled order from several threads.
        Parallel.For(1, 1_000_001, i => histogram.RecordMicroseconds(i * 10L));

        Assert.Equal(1_000_000, histogram.Count);
        Assert.Equal(10_000_000, histogram.MaxMicroseconds);
        Assert.Equal(5_000_005, histogram.MeanMicroseconds, precision: 0);
        foreach (var (percentile, exact) in new[] { (50.0, 5_000_000L), (90.0, 9_000_000L), (99.0, 9_900_000L), (99.9, 9_990_000L) })
        {
            var measured = histogram.PercentileMicroseconds(percentile);
            Assert.InRange(measured, exact, exact * 1.01);
        }
        Assert.Equal(10_000_000, histogram.PercentileMicroseconds(100));
    }

    [Fact]
    public void Small_values_are_exact_and_an_empty_histogram_answers_zero()
    {
        var histogram = new LatencyHistogram();
        Assert.Equal(0, histogram.PercentileMicroseconds(99));
        foreach (var value in new[] { 3L, 7, 7, 200 })
        {
            histogram.RecordMicroseconds(value);
        }
        Assert.Equal(7, histogram.PercentileMicroseconds(50));
        Assert.Equal(200, histogram.PercentileMicroseconds(99));

        var merged = new LatencyHistogram();
        merged.Add(histogram);
        merged.RecordMicroseconds(1);
        Assert.Equal(5, merged.Count);
        Assert.Equal(1, merged.PercentileMicroseconds(1));
        Assert.Equal(200, merged.MaxMicroseconds);
    }
}
