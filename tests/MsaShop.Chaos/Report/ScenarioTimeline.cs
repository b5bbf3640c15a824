using MsaShop.LoadGeneration;

namespace MsaShop.Chaos.Report;

/// <summary>
/// One scenario second by second, counted from the start of its load: orders the API accepted, orders the saga
/// completed, requests that failed or were refused (orders and reads), the seconds the fault lasted and when the last
/// arrival was due (the chart runs on while the saga catches up).
/// </summary>
public sealed record ScenarioTimeline(
    string Title,
    IReadOnlyList<int> Accepted,
    IReadOnlyList<int> Completed,
    IReadOnlyList<int> Errors,
    double FaultStart,
    double FaultEnd,
    double LoadEnd)
{
    public int Seconds => Accepted.Count;

    /// <summary>Requests count in the second they were due (sent), completions in the second the saga ended them.</summary>
    public static ScenarioTimeline Of(string title, DateTime start, DateTime end, IReadOnlyCollection<RequestOutcome> outcomes,
        IEnumerable<DateTime> completions, DateTime injectedAt, DateTime healedAt, DateTime loadEndedAt)
    {
        var seconds = (int)Math.Ceiling((end - start).TotalSeconds);
        return new(
            title,
            PerSecond(start, seconds, outcomes.Where(o => o.Operation == ShopOperation.PlaceOrder && o.Succeeded).Select(o => o.DueAt)),
            PerSecond(start, seconds, completions),
            PerSecond(start, seconds, outcomes.Where(o => !o.Succeeded).Select(o => o.DueAt)),
            (injectedAt - start).TotalSeconds,
            (healedAt - start).TotalSeconds,
            (loadEndedAt - start).TotalSeconds);
    }

    private static int[] PerSecond(DateTime start, int seconds, IEnumerable<DateTime> moments)
    {
        var counts = new int[seconds];
        foreach (var second in moments.Select(moment => (int)Math.Floor((moment - start).TotalSeconds)).Where(s => s >= 0 && s < seconds))
        {
            counts[second]++;
        }
        return counts;
    }
}
