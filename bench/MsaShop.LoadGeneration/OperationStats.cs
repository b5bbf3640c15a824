using System.Collections.Concurrent;

namespace MsaShop.LoadGeneration;

/// <summary>What one kind of operation got: latencies (from its scheduled start) and answers by status.</summary>
public sealed class OperationStats(ShopOperation operation)
{
    private long _timeouts;
    private long _connectionErrors;

    public ShopOperation Operation { get; } = operation;

    /// <summary>Latency of every answered request, from when it was due (so waiting for a connection counts).</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Answers by HTTP status code.</summary>
    public ConcurrentDictionary<int, long> ByStatus { get; } = new();

    /// <summary>Requests that got no answer within the request timeout.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Requests that failed without an HTTP answer (refused, reset).</summary>
    public long ConnectionErrors => Interlocked.Read(ref _connectionErrors);

    public long Answered => ByStatus.Values.Sum();

    /// <summary>Answers with a 2xx status.</summary>
    public long Succeeded => ByStatus.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value);

    /// <summary>Everything but a 2xx answer, including timeouts and connection errors.</summary>
    public long Failed => Answered - Succeeded + Timeouts + ConnectionErrors;

    public void RecordAnswer(int status, TimeSpan latency)
    {
        ByStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
        Latency.Record(latency);
    }

    public void RecordTimeout() => Interlocked.Increment(ref _timeouts);

    public void RecordConnectionError() => Interlocked.Increment(ref _connectionErrors);

    /// <summary>Non-2xx answers and failures, e.g. "429×12 503×3 timeout×1".</summary>
    public string DescribeFailures()
    {
        var parts = ByStatus.Where(s => s.Key is < 200 or >= 300).OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}").ToList();
        if (Timeouts > 0) parts.Add($"timeout×{Timeouts}");
        if (ConnectionErrors > 0) parts.Add($"connection×{ConnectionErrors}");
        return parts.Count == 0 ? "none" : string.Join(' ', parts);
    }
}
