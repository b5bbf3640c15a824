using System.Globalization;
using MsaShop.LoadGeneration;

namespace MsaShop.Benchmarks;

/// <summary>How long and how hard: the full run, or <c>--quick</c> (fewer, shorter rounds; two saga rates).</summary>
internal sealed record ShopBenchmarkSettings(int Rounds, TimeSpan WrkDuration, IReadOnlyList<double> SagaRates, TimeSpan SagaDuration)
{
    public static ShopBenchmarkSettings Full { get; } = new(5, TimeSpan.FromSeconds(5), [50, 100, 150, 250], TimeSpan.FromSeconds(20));

    public static ShopBenchmarkSettings Quick { get; } = new(3, TimeSpan.FromSeconds(3), [50, 100], TimeSpan.FromSeconds(10));

    public IReadOnlyList<int> Connections { get; } = [32, 64];
}

/// <summary>
/// The shop as deployed, measured side by side with what bounds it: bare Kestrel and nginx for HTTP reads, fixed
/// order rates with the ledger check for the saga, cold start, resident memory, log volume; then the targets.
/// </summary>
internal static class ShopBenchmark
{
    public const string GatewayCase = "gateway → catalog";
    public const string NginxCase = "nginx → catalog";
    public const string CatalogCase = "catalog direct";
    public const string BareCase = "bare Kestrel, same JSON";

    public static async Task RunAsync(string repositoryRoot, ShopBenchmarkSettings settings, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine("==> starting the shop as deployed");
        await using var deployed = await DeployedShop.StartAsync(repositoryRoot, cancellationToken);
        var shop = deployed.Shop;
        var memory = new MemorySampler(shop);
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        memory.RecordAtRest();

        // The cached item: read once through the gateway (filling the cache), its bytes taken from a replica.
        using var http = new HttpClient();
        var itemPath = "/api/catalog/items/1";
        (await http.GetAsync(new Uri(shop.Gateway, itemPath), cancellationToken)).EnsureSuccessStatusCode();
        var body = await http.GetByteArrayAsync(new Uri(shop.Addresses["catalog-0"], itemPath), cancellationToken);

        var (bare, bareAddress) = await BareKestrel.StartAsync(deployed.Infrastructure, repositoryRoot, body, cancellationToken);
        var catalogs = shop.Addresses.Where(a => a.Key.StartsWith("catalog-", StringComparison.Ordinal)).Select(a => a.Value).ToList();
        var (nginx, nginxAddress) = await Nginx.StartAsync(deployed.Infrastructure, catalogs, cancellationToken);
        var gateway = shop.Process("gateway");
        var catalog = shop.Process("catalog-0");
        HttpReadCase[] cases =
        [
            new(BareCase, new Uri(bareAddress, itemPath), () => bare.CpuTime),
            new(CatalogCase, new Uri(shop.Addresses["catalog-0"], itemPath), () => catalog.CpuTime),
            new(NginxCase, new Uri(nginxAddress, itemPath), () => nginx.CpuTime),
            new(GatewayCase, new Uri(shop.Gateway, itemPath), () => gateway.CpuTime),
        ];

        Console.Error.WriteLine("==> HTTP reads");
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                memory.Sample();
                await Task.Delay(1_000, CancellationToken.None);
            }
        }, CancellationToken.None);
        var reads = await HttpReadBenchmark.RunAsync(cases, settings.Connections, settings.Rounds, settings.WrkDuration, cancellationToken);
        await sampling.CancelAsync();
        await sampler;
        await nginx.StopAsync();
        await bare.StopAsync();

        Console.Error.WriteLine("==> order saga");
        var saga = await SagaBenchmark.RunAsync(deployed, settings.SagaRates, settings.SagaDuration, memory, cancellationToken);

        PrintStartup(shop.StartupTimes);
        HttpReadBenchmark.Print(reads, settings.Connections, settings.Rounds, settings.WrkDuration);
        SagaBenchmark.Print(saga, settings.SagaDuration);
        PrintMemory(memory);
        PrintLogLines(saga);
        PrintTargets(reads, saga, memory, settings);
    }

    private static void PrintStartup(IReadOnlyDictionary<string, TimeSpan> startupTimes)
    {
        Console.WriteLine();
        Console.WriteLine("### Cold start to healthy (process start → first 200 from /health; empty databases: migrations and the catalog seed included)");
        Console.WriteLine();
        Console.WriteLine("| instance | seconds |");
        Console.WriteLine("|---|--:|");
        foreach (var (name, time) in startupTimes.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {time.TotalSeconds:N1} |"));
        }
        Console.WriteLine("\n(the gateway starts once the others are healthy, as under the AppHost's WaitFor)");
    }

    private static void PrintMemory(MemorySampler memory)
    {
        Console.WriteLine();
        Console.WriteLine("### Resident memory (RSS) per service instance");
        Console.WriteLine();
        Console.WriteLine("| instance | at rest MB | peak under load MB |");
        Console.WriteLine("|---|--:|--:|");
        foreach (var (name, atRest, peak) in memory.Rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {atRest:N0} | {peak:N0} |"));
        }
    }

    private static void PrintLogLines(IReadOnlyList<SagaResult> saga)
    {
        Console.WriteLine();
        Console.WriteLine("### Log lines per accepted order (Production, default levels)");
        Console.WriteLine();
        var names = saga[0].LogLinesPerOrder.Keys.ToList();
        Console.WriteLine($"| orders/s | {string.Join(" | ", names)} |");
        Console.WriteLine($"|--:|{string.Concat(names.Select(_ => "--:|"))}");
        foreach (var r in saga)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Rate:N0} | {string.Join(" | ", names.Select(n => r.LogLinesPerOrder[n].ToString("N2", CultureInfo.InvariantCulture)))} |"));
        }
    }

    private static void PrintTargets(IReadOnlyList<HttpReadResult> reads, IReadOnlyList<SagaResult> saga, MemorySampler memory, ShopBenchmarkSettings settings)
    {
        HttpReadResult Read(string name, int connections) => reads.Single(r => r.Case == name && r.Connections == connections);
        var rows = new List<(string What, string Measured, string Target, bool Met)>();
        foreach (var c in settings.Connections)
        {
            var ratio = Read(GatewayCase, c).RequestsPerSecond / Read(NginxCase, c).RequestsPerSecond;
            rows.Add(($"gateway → catalog req/s ÷ nginx → catalog, c{c}", $"{ratio:N2}×", "≥ 1.2×", ratio >= 1.2));
        }
        var gatewayCpu = HttpReadBenchmark.Median(reads.Where(r => r.Case == GatewayCase).Select(r => r.CpuMicrosecondsPerRequest));
        var nginxCpu = HttpReadBenchmark.Median(reads.Where(r => r.Case == NginxCase).Select(r => r.CpuMicrosecondsPerRequest));
        rows.Add(("gateway CPU per proxied request", $"{gatewayCpu:N1} µs (nginx {nginxCpu:N1} µs)", "≤ 20 µs", gatewayCpu <= 20));
        foreach (var c in settings.Connections)
        {
            var ratio = Read(CatalogCase, c).RequestsPerSecond / Read(BareCase, c).RequestsPerSecond;
            rows.Add(($"catalog cached item direct ÷ bare Kestrel, c{c}", $"{ratio:N2}×", "≥ 0.6×", ratio >= 0.6));
        }

        var balanced = saga.All(s => s.Ledger.Balanced);
        var kept = saga.Where(s => s.Ledger.Balanced && s.Ledger.Completed >= 0.95 * s.Load.Schedule.Offered * (1 - 0.05) * 0.9
            && s.Ledger.SubmitToCompleted.PercentileMicroseconds(99) <= 1_000_000).Select(s => s.Rate).DefaultIfEmpty(0).Max();
        rows.Add(("order saga sustained through the gateway (balanced ledger, p99 submit→Completed ≤ 1 s)", $"{kept:N0} orders/s of {settings.SagaRates.Max():N0} tried", "≥ 250 orders/s", kept >= 250));
        if (saga.FirstOrDefault(s => s.Rate == 100) is { } at100)
        {
            var p99 = at100.Ledger.SubmitToCompleted.PercentileMicroseconds(99) / 1000.0;
            rows.Add(("p99 submit→Completed at 100 orders/s", $"{p99:N0} ms", "≤ 150 ms", p99 <= 150));
        }
        var busiest = saga.Where(s => s.Ledger.Balanced).DefaultIfEmpty(saga[^1]).MaxBy(s => s.Rate)!;
        rows.Add(($"PostgreSQL CPU per order (at {busiest.Rate:N0}/s)", $"{busiest.PostgresCpuMillisecondsPerOrder:N2} ms, {busiest.PeakBackends} backends", "≤ 2 ms, ≤ 30 backends",
            busiest.PostgresCpuMillisecondsPerOrder <= 2 && busiest.PeakBackends <= 30));
        var rest = memory.Rows.Max(r => r.AtRestMb);
        var peak = memory.Rows.Max(r => r.PeakMb);
        rows.Add(("RSS per service, largest", $"{rest:N0} MB at rest, {peak:N0} MB under load", "≤ 100 MB at rest, ≤ 120 MB under load", rest <= 100 && peak <= 120));
        var logs = saga[^1].LogLinesPerOrder;
        var maxLog = logs.Values.Max();
        rows.Add(("log lines per order at Information, most talkative service", $"{maxLog:N2} ({logs.MaxBy(l => l.Value).Key})", "≤ 1 per hop, none for routine success", maxLog < 0.05));
        rows.Add(("ledger at every rate driven", balanced ? "zero lost, stuck or double-charged" : "NOT BALANCED (see above)", "zero lost, stuck, double-charged", balanced));

        Console.WriteLine();
        Console.WriteLine("### Targets");
        Console.WriteLine();
        Console.WriteLine("| what | measured | target | met |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (what, measured, target, met) in rows)
        {
            Console.WriteLine($"| {what} | {measured} | {target} | {(met ? "yes" : "no")} |");
        }
    }
}
