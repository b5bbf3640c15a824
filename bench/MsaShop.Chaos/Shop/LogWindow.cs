using System.Text.RegularExpressions;

namespace MsaShop.Chaos.Shop;

/// <summary>What a service logs from now on: here, the resilience events (retries, timeouts, the circuit breaker) Polly reports.</summary>
public sealed partial class LogWindow(string path)
{
    private readonly long _start = File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>"OnRetry×12 OnTimeout×3 OnCircuitOpened×1": Microsoft.Extensions.Resilience logs each as "EventName: 'OnRetry'".</summary>
    public string CountResilienceEvents()
    {
        if (!File.Exists(path))
        {
            return "";
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(_start, stream.Length), SeekOrigin.Begin);
        var text = new StreamReader(stream).ReadToEnd();
        return string.Join(' ', ResilienceEvent().Matches(text)
            .GroupBy(match => match.Groups[1].Value)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => $"{group.Key}×{group.Count()}"));
    }

    [GeneratedRegex(@"EventName: '(\w+)'")]
    private static partial Regex ResilienceEvent();
}
