using System.Numerics;

namespace MsaShop.LoadGeneration;

/// <summary>
/// Latencies in microseconds, HDR-style: exact below 256 µs, then 128 buckets per power of two, so any
/// percentile is within 1 % of the truth, in constant memory however many values are recorded. Safe to record
/// from many threads at once.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;
    private readonly long[] _counts = new long[(64 - SubBucketBits) * SubBuckets + 2 * SubBuckets];
    private long _count;
    private long _sum;
    private long _max;

    public long Count => Interlocked.Read(ref _count);

    public long MaxMicroseconds => Interlocked.Read(ref _max);

    public double MeanMicroseconds => Count == 0 ? 0 : (double)Interlocked.Read(ref _sum) / Count;

    public void Record(TimeSpan latency) => RecordMicroseconds((long)latency.TotalMicroseconds);

    public void RecordMicroseconds(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        Interlocked.Increment(ref _counts[IndexOf(value)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sum, value);
        long max;
        while (value > (max = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, max) != max)
        {
        }
    }

    /// <summary>The value that <paramref name="percentile"/> % of recorded values do not exceed (0 when empty).</summary>
    public long PercentileMicroseconds(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var count = Count;
        if (count == 0)
        {
            return 0;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * count));
        long seen = 0;
        for (var index = 0; index < _counts.Length; index++)
        {
            seen += Interlocked.Read(ref _counts[index]);
            if (seen >= rank)
            {
                return Math.Min(HighestOf(index), MaxMicroseconds);
            }
        }
        return MaxMicroseconds;
    }

    public TimeSpan Percentile(double percentile) => TimeSpan.FromMicroseconds(PercentileMicroseconds(percentile));

    /// <summary>Adds every value of <paramref name="other"/> to this one.</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var index = 0; index < _counts.Length; index++)
        {
            Interlocked.Add(ref _counts[index], Interlocked.Read(ref other._counts[index]));
        }
        Interlocked.Add(ref _count, other.Count);
        Interlocked.Add(ref _sum, Interlocked.Read(ref other._sum));
        var otherMax = other.MaxMicroseconds;
        long max;
        while (otherMax > (max = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, otherMax, max) != max)
        {
        }
    }

    // Below 2 * SubBuckets a value is its own bucket; above, the top SubBucketBits + 1 bits pick it.
    private static int IndexOf(long value)
    {
        if (value < 2 * SubBuckets)
        {
            return (int)value;
        }
        var shift = BitOperations.Log2((ulong)value) - SubBucketBits;
        return SubBuckets * shift + (int)(value >> shift);
    }

    private static long HighestOf(int index)
    {
        if (index < 2 * SubBuckets)
        {
            return index;
        }
        var shift = index / SubBuckets - 1;
        var top = index - SubBuckets * shift;
        return ((top + 1L) << shift) - 1;
    }
}
