using System.Text.RegularExpressions;

namespace MsaShop.Chaos.Shop;

/// <summary>
/// What a service's instances log from now on: here, the resilience events (retries, timeouts, the circuit breaker) Polly reports.
/// </summary>
public sealed partial class LogWindow(IReadOnlyList<string> paths)
{
    private readonly long[] _starts = [.. paths.Select(path => File.Exists(path) ? new FileInfo(path).Length : 0)];

    /// <summary>
    /// "OnRetry×12 OnTimeout×3 OnCircuitOpened×1": Microsoft.Extensions.Resilience logs each as "EventName: 'OnRetry'".
    /// </summary>
    public string CountResilienceEvents() =>
        string.Join(' ', paths.Select((path, i) => ReadFrom(path, _starts[i]))
            .SelectMany(text => ResilienceEvent().Matches(text))
            .GroupBy(match => match.Groups[1].Value)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => $"{group.Key}×{group.Count()}"));

    private static string ReadFrom(string path, long start)
    {
        if (!File.Exists(path))
        {
            return "";
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(start, stream.Length), SeekOrigin.Begin);
        return new StreamReader(stream).ReadToEnd();
    }

    [GeneratedRegex(@"EventName: '(\w+)'")]
    private static partial Regex ResilienceEvent();
}
