namespace MsaShop.LoadGeneration;

/// <summary>One request of a run as it ended: when it was due, how long it took from then, and its HTTP status
/// (null when no answer came: a timeout or a broken connection).</summary>
public sealed record RequestOutcome(ShopOperation Operation, DateTime DueAt, TimeSpan Latency, int? Status)
{
    /// <summary>A 2xx answer; anything else failed.</summary>
    public bool Succeeded => Status is >= 200 and < 300;

    public DateTime EndedAt => DueAt + Latency;

    internal static RequestOutcome EndingNow(ShopOperation operation, TimeSpan latency, int? status) =>
        new(operation, DateTime.UtcNow - latency, latency, status);
}
