using System.Globalization;

namespace MsaShop.Deployment.Tests.Manifests;

/// <summary>
/// The windows of KEDA's cron scaler when they repeat every hour: <c>start</c> and <c>end</c> of the form
/// "m1,m2,... * * * *" (the minutes past each hour). Any other shape is refused rather than guessed at.
/// </summary>
internal sealed record CronWindows(TimeSpan ShortestWindow, TimeSpan LongestGap)
{
    public static CronWindows Hourly(string start, string end)
    {
        var starts = Minutes(start);
        var ends = Minutes(end);
        Assert.Equal(starts.Count, ends.Count);

        // Each window runs from a start to the next end after it; the gap is from one start to the next.
        var windows = starts.Select(s => ends.Select(e => (e - s + 60) % 60).Where(length => length > 0).Min()).ToList();
        var gaps = starts.Select((s, i) => (starts[(i + 1) % starts.Count] - s + 60) % 60 is var gap && gap == 0 ? 60 : gap).ToList();
        return new CronWindows(TimeSpan.FromMinutes(windows.Min()), TimeSpan.FromMinutes(gaps.Max()));
    }

    private static List<int> Minutes(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5 || fields[1..].Any(field => field != "*"))
        {
            throw new NotSupportedException($"cron '{expression}': only minutes past every hour are understood here.");
        }

        return [.. fields[0].Split(',').Select(minute => int.Parse(minute, CultureInfo.InvariantCulture)).Order()];
    }
}
