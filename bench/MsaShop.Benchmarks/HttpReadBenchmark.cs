using System.Globalization;

namespace MsaShop.Benchmarks;

/// <summary>One way to read the cached catalog item over HTTP, and the process whose CPU each request costs.</summary>
internal sealed record HttpReadCase(string Name, Uri Url, Func<TimeSpan?> CpuTime);

/// <summary>Medians over the rounds of one case at one concurrency.</summary>
internal sealed record HttpReadResult(string Case, int Connections, double RequestsPerSecond, double P50Microseconds,
    double P99Microseconds, double CpuMicrosecondsPerRequest, long Errors);

/// <summary>
/// wrk against each case in turn, round after round, at each concurrency: load from elsewhere on the machine
/// hits every case alike, and the medians of the rounds are compared.
/// </summary>
internal static class HttpReadBenchmark
{
    public static async Task<IReadOnlyList<HttpReadResult>> RunAsync(
        IReadOnlyList<HttpReadCase> cases, IReadOnlyList<int> concurrencies, int rounds, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        foreach (var benchmarkCase in cases)
        {
            await Wrk.RunAsync(benchmarkCase.Url, concurrencies[0], TimeSpan.FromSeconds(2), cancellationToken);
        }
        var samples = new Dictionary<(string, int), List<(WrkResult Wrk, double Cpu)>>();
        for (var round = 1; round <= rounds; round++)
        {
            Console.Error.WriteLine($"    HTTP reads: round {round} of {rounds}");
            foreach (var connections in concurrencies)
            {
                foreach (var benchmarkCase in cases)
                {
                    var cpuBefore = benchmarkCase.CpuTime() ?? TimeSpan.Zero;
                    var result = await Wrk.RunAsync(benchmarkCase.Url, connections, duration, cancellationToken);
                    var cpu = (benchmarkCase.CpuTime() ?? TimeSpan.Zero) - cpuBefore;
                    var key = (benchmarkCase.Name, connections);
                    if (!samples.TryGetValue(key, out var list))
                    {
                        samples[key] = list = [];
                    }
                    list.Add((result, cpu.TotalMicroseconds / Math.Max(1, result.Requests)));
                }
            }
        }
        return samples.Select(s => new HttpReadResult(
            s.Key.Item1, s.Key.Item2,
            Median(s.Value.Select(v => v.Wrk.RequestsPerSecond)),
            Median(s.Value.Select(v => v.Wrk.P50Microseconds)),
            Median(s.Value.Select(v => v.Wrk.P99Microseconds)),
            Median(s.Value.Select(v => v.Cpu)),
            s.Value.Sum(v => v.Wrk.Errors))).ToList();
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static void Print(IReadOnlyList<HttpReadResult> results, IReadOnlyList<int> concurrencies, int rounds, TimeSpan duration)
    {
        Console.WriteLine();
        Console.WriteLine(
            $"### Cached catalog item over HTTP (wrk -t2, {rounds} interleaved rounds of {duration.TotalSeconds:0} s, medians)");
        Console.WriteLine();
        Console.WriteLine("| case | connections | req/s | p50 ms | p99 ms | CPU µs/request (its process) | errors |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|");
        foreach (var r in results.OrderBy(r => r.Connections))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Case} | {r.Connections} | {r.RequestsPerSecond:N0} | {r.P50Microseconds / 1000:N2} | " +
                    $"{r.P99Microseconds / 1000:N2} | {r.CpuMicrosecondsPerRequest:N1} | {r.Errors} |"));
        }
    }
}
