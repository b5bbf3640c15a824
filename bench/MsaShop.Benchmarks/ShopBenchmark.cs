using System.Globalization;
using MsaShop.Client;
using MsaShop.LoadGeneration;
using MsaShop.Harness;

namespace MsaShop.Benchmarks;

/// <summary>How long and how hard: the full run, or <c>--quick</c> (fewer, shorter rounds and saga runs).</summary>
internal sealed record ShopBenchmarkSettings(int Rounds, TimeSpan WrkDuration, SagaRun Cold, IReadOnlyList<double> SagaRates,
    TimeSpan SagaDuration)
{
    public static ShopBenchmarkSettings Full { get; } = new(5, TimeSpan.FromSeconds(5),
        new SagaRun("cold start", 50, TimeSpan.FromSeconds(30)), [100, 200, 250], TimeSpan.FromSeconds(20));

    public static ShopBenchmarkSettings Quick { get; } = new(3, TimeSpan.FromSeconds(3),
        new SagaRun("cold start", 50, TimeSpan.FromSeconds(20)), [100], TimeSpan.FromSeconds(10));

    public IReadOnlyList<int> Connections { get; } = [32, 64];

    /// <summary>The overload run offers this multiple of the highest rate the shop sustained.</summary>
    public const double OverloadFactor = 2;
}

/// <summary>
/// The shop as deployed, measured side by side with what bounds it: the order saga from a cold start, bare Kestrel and
/// nginx for HTTP reads, fixed order rates and an overload with the ledger check, cold start, resident memory, log
/// volume; then the targets.
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
        await using var shop = await BenchmarkedShop.StartAsync(repositoryRoot, cancellationToken);
        var memory = new MemorySampler(shop);
        memory.RecordAtRest();

        using var gatewayClient = ShopClient.CreateHttpClient(shop.Gateway, TimeSpan.FromSeconds(10));
        using var paymentClient = ShopClient.CreateHttpClient(shop.Addresses["payment"], TimeSpan.FromSeconds(10));
        var tokens = ShopTokens.WithSigningKey(shop.SigningKey);
        var client = new ShopAccess(gatewayClient, tokens);
        var payments = new PaymentLedger(paymentClient, tokens);
        var runs = 2 + settings.SagaRates.Count;
        var catalog = await SagaBenchmark.PrepareAsync(client, runs, cancellationToken);

        // First, while every process is as cold as after a deployment: the first orders pay for JIT, pools and caches.
        Console.Error.WriteLine("==> order saga from a cold start");
        var saga = new List<SagaResult> { await SagaBenchmark.RunAsync(shop, client, payments, catalog, 0, settings.Cold, memory,
            cancellationToken) };

        Console.Error.WriteLine("==> HTTP reads");
        var reads = await RunHttpReadsAsync(shop, repositoryRoot, settings, memory, cancellationToken);

        Console.Error.WriteLine("==> order saga at fixed rates, then overloaded");
        foreach (var rate in settings.SagaRates)
        {
            saga.Add(await SagaBenchmark.RunAsync(shop, client, payments, catalog, saga.Count,
                new SagaRun($"{rate:0}/s", rate, settings.SagaDuration), memory, cancellationToken));
        }
        var peak = Peak(saga);
        var overload = Math.Max(settings.SagaRates.Max(), peak?.Run.Rate ?? 0) * ShopBenchmarkSettings.OverloadFactor;
        saga.Add(await SagaBenchmark.RunAsync(shop, client, payments, catalog, saga.Count,
            new SagaRun($"overload {overload:0}/s", overload, settings.SagaDuration), memory, cancellationToken));

        PrintStartup(shop.StartupTimes);
        HttpReadBenchmark.Print(reads, settings.Connections, settings.Rounds, settings.WrkDuration);
        SagaBenchmark.Print(saga);
        SagaBenchmark.PrintStatements(peak ?? saga[^1]);
        PrintMemory(memory);
        PrintLogLines(saga);
        PrintTargets(reads, saga, memory, settings);
    }

    /// <summary>The highest rate the shop sustained (<see cref="SagaResult.Sustained"/>) among the fixed rates; null if none.</summary>
    private static SagaResult? Peak(IEnumerable<SagaResult> saga) =>
        saga.Where(s => s.Sustained && !s.Run.Name.StartsWith("overload", StringComparison.Ordinal)).MaxBy(s => s.Run.Rate);

    private static async Task<IReadOnlyList<HttpReadResult>> RunHttpReadsAsync(
        DeployedShop shop, string repositoryRoot, ShopBenchmarkSettings settings, MemorySampler memory, CancellationToken cancellationToken)
    {
        // The cached item: read once through the gateway (filling the cache), its bytes taken from a replica.
        using var http = new HttpClient();
        var itemPath = "/api/catalog/items/1";
        (await http.GetAsync(new Uri(shop.Gateway, itemPath), cancellationToken)).EnsureSuccessStatusCode();
        var body = await http.GetByteArrayAsync(new Uri(shop.Addresses["catalog-0"], itemPath), cancellationToken);

        var (bare, bareAddress) = await BareKestrel.StartAsync(shop.Servers, repositoryRoot, body, cancellationToken);
        var catalogs = shop.Addresses.Where(a => a.Key.StartsWith("catalog-", StringComparison.Ordinal)).Select(a => a.Value).ToList();
        var (nginx, nginxAddress) = await Nginx.StartAsync(shop.Servers, catalogs, cancellationToken);
        var gateway = shop.Process("gateway");
        var catalog = shop.Process("catalog-0");
        HttpReadCase[] cases =
        [
            new(BareCase, new Uri(bareAddress, itemPath), () => bare.CpuTime),
            new(CatalogCase, new Uri(shop.Addresses["catalog-0"], itemPath), () => catalog.CpuTime),
            new(NginxCase, new Uri(nginxAddress, itemPath), () => nginx.CpuTime),
            new(GatewayCase, new Uri(shop.Gateway, itemPath), () => gateway.CpuTime),
        ];

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
        return reads;
    }

    private static void PrintStartup(IReadOnlyDictionary<string, TimeSpan> startupTimes)
    {
        Console.WriteLine();
        Console.WriteLine(
            "### Cold start to healthy (process start → first 200 from /health; empty databases: migrations and the catalog seed " +
            "included)");
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

    private static void PrintLogLines(List<SagaResult> saga)
    {
        Console.WriteLine();
        Console.WriteLine("### Log lines per accepted order (Production, default levels)");
        Console.WriteLine();
        var names = saga[0].LogLinesPerOrder.Keys.ToList();
        Console.WriteLine($"| run | {string.Join(" | ", names)} |");
        Console.WriteLine($"|---|{string.Concat(names.Select(_ => "--:|"))}");
        foreach (var r in saga)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Run.Name} | " +
                $"{string.Join(" | ", names.Select(n => r.LogLinesPerOrder[n].ToString("N2", CultureInfo.InvariantCulture)))} |"));
        }
    }

    private static void PrintTargets(IReadOnlyList<HttpReadResult> reads, List<SagaResult> saga, MemorySampler memory,
        ShopBenchmarkSettings settings)
    {
        HttpReadResult Read(string name, int connections) => reads.Single(r => r.Case == name && r.Connections == connections);
        var rows = new List<(string What, string Measured, string Target, bool Met)>();

        var peak = Peak(saga);
        var sustained = peak?.Run.Rate ?? 0;
        rows.Add(("order saga sustained through the gateway (balanced, nothing refused, backlog < 1 s of orders, p99 ≤ 1 s)",
            $"{sustained:N0} orders/s " +
                $"({(peak is null ? "none of the rates tried" : $"{peak.CompletedPerSecondWhileLoaded:N0} completed/s while loaded")})",
            "≥ 250 orders/s", sustained >= 250));
        foreach (var (name, limit) in new[] { (settings.Cold.Name, 150.0), ("100/s", 300.0), ("200/s", 500.0) })
        {
            if (saga.FirstOrDefault(s => s.Run.Name == name) is { } run)
            {
                rows.Add(($"p99 submit→Completed, {name} ({run.Run.Rate:N0} orders/s)", $"{run.SubmitToCompletedP99Milliseconds:N0} ms",
                    $"≤ {limit:N0} ms",
                    run.Ledger.Balanced && run.SubmitToCompletedP99Milliseconds <= limit));
            }
        }
        var overload = saga[^1];
        var bestGoodput = saga.Where(s => s != overload).Select(s => s.CompletedPerSecondWhileLoaded).DefaultIfEmpty(0).Max();
        var kept = bestGoodput == 0 ? 0 : overload.CompletedPerSecondWhileLoaded / bestGoodput;
        rows.Add(($"goodput under overload ({overload.Run.Rate:N0}/s offered) ÷ the best goodput",
            $"{kept:P0} ({overload.CompletedPerSecondWhileLoaded:N0} vs {bestGoodput:N0} completed/s; " +
                $"{overload.Ledger.Refused:N0} refused)", "≥ 90 %", kept >= 0.9));
        rows.Add(("p99 submit→Completed of accepted orders under overload", $"{overload.SubmitToCompletedP99Milliseconds:N0} ms",
            "bounded (≤ 2 s)",
            overload.Ledger.Balanced && overload.SubmitToCompletedP99Milliseconds <= 2_000));

        var busiest = peak ?? saga.Where(s => s.Ledger.Balanced).DefaultIfEmpty(saga[^1]).MaxBy(s => s.Run.Rate)!;
        var postgresCpu = busiest.CpuMillisecondsPerOrder[SagaBenchmark.PostgreSql];
        rows.Add(($"PostgreSQL per order at {busiest.Run.Name}: CPU, transactions",
            $"{postgresCpu:N2} ms, {busiest.Database.Transactions:N1} transactions",
            "≤ 3 ms, ≤ 10 transactions", postgresCpu <= 3 && busiest.Database.Transactions <= 10));
        var backends = saga.Max(s => s.PeakBackends);
        rows.Add(("PostgreSQL backends, peak over every run", $"{backends}", "≤ 30", backends <= 30));

        var gatewayCpu = HttpReadBenchmark.Median(reads.Where(r => r.Case == GatewayCase).Select(r => r.CpuMicrosecondsPerRequest));
        var nginxCpu = HttpReadBenchmark.Median(reads.Where(r => r.Case == NginxCase).Select(r => r.CpuMicrosecondsPerRequest));
        rows.Add(("gateway CPU per proxied request", $"{gatewayCpu:N1} µs (nginx {nginxCpu:N1} µs)", "≤ 30 µs", gatewayCpu <= 30));
        foreach (var c in settings.Connections)
        {
            var ratio = Read(GatewayCase, c).RequestsPerSecond / Read(NginxCase, c).RequestsPerSecond;
            rows.Add(($"gateway → catalog req/s ÷ nginx → catalog, c{c}", $"{ratio:N2}×", "≥ 1.0×", ratio >= 1.0));
        }
        foreach (var c in settings.Connections)
        {
            var ratio = Read(CatalogCase, c).RequestsPerSecond / Read(BareCase, c).RequestsPerSecond;
            rows.Add(($"catalog cached item direct ÷ bare Kestrel, c{c}", $"{ratio:N2}×", "≥ 0.7×", ratio >= 0.7));
        }

        var rest = memory.Rows.Max(r => r.AtRestMb);
        var peakRss = memory.Rows.Max(r => r.PeakMb);
        rows.Add(("RSS per service instance, largest", $"{rest:N0} MB at rest, {peakRss:N0} MB under load",
            "≤ 100 MB at rest, ≤ 200 MB under load", rest <= 100 && peakRss <= 200));
        var logs = busiest.LogLinesPerOrder;
        var maxLog = logs.Values.Max();
        rows.Add(("log lines per order at Information, most talkative service", $"{maxLog:N2} ({logs.MaxBy(l => l.Value).Key})",
            "none for routine success", maxLog < 0.05));
        var balanced = saga.All(s => s.Ledger.Balanced);
        rows.Add(("ledger at every run", balanced ? "zero lost, stuck or double-charged" : "NOT BALANCED (see above)",
            "zero lost, stuck, double-charged", balanced));

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
