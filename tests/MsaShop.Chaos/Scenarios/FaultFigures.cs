using MsaShop.LoadGeneration;

namespace MsaShop.Chaos.Scenarios;

/// <summary>What one kind of request got while the fault lasted (from the injection to the end of the heal).</summary>
public sealed record FaultFigures(ShopOperation Operation, int Requests, int Failed, TimeSpan P50, TimeSpan P99, string Failures)
{
    public double ErrorRate => Requests == 0 ? 0 : (double)Failed / Requests;

    public static FaultFigures Of(ShopOperation operation, IEnumerable<RequestOutcome> outcomes)
    {
        var mine = outcomes.Where(o => o.Operation == operation).ToList();
        var latency = new LatencyHistogram();
        foreach (var outcome in mine)
        {
            latency.Record(outcome.Latency);
        }
        var failures = mine.Where(o => !o.Succeeded)
            .GroupBy(o => o.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer")
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Key}×{g.Count()}");
        return new(operation, mine.Count, mine.Count(o => !o.Succeeded), latency.Percentile(50), latency.Percentile(99),
            string.Join(' ', failures));
    }

    public override string ToString() =>
        $"{Operation}: {Requests} requests, {Failed} failed ({ErrorRate:P1}{(Failed > 0 ? ": " + Failures : "")}), " +
        $"p50 {P50.TotalMilliseconds:N0} ms, p99 {P99.TotalMilliseconds:N0} ms";
}
