using System.Globalization;
using MsaShop.LoadGeneration;
using MsaShop.Harness;

namespace MsaShop.Benchmarks;

/// <summary>One saga run: orders offered open loop at a fixed rate for a while.</summary>
internal sealed record SagaRun(string Name, double Rate, TimeSpan Duration);

/// <summary>What one run got: the load generator's view, the ledger, and what each process and database spent per accepted order.</summary>
internal sealed record SagaResult(
    SagaRun Run, LoadReport Load, LedgerReport Ledger, DateTime LoadStartedAt, DateTime LoadEndedAt, DatabaseCost Database,
    IReadOnlyDictionary<string, double> CpuMillisecondsPerOrder, int PeakBackends, IReadOnlyDictionary<string, double> LogLinesPerOrder)
{
    /// <summary>Orders that reached Completed while the load was offered, per second: what the shop keeps up with.</summary>
    public double CompletedPerSecondWhileLoaded =>
        Ledger.Lifetimes.Count(l => l.Completed && l.EndedAt >= LoadStartedAt && l.EndedAt <= LoadEndedAt) / (LoadEndedAt - LoadStartedAt)
            .TotalSeconds;

    /// <summary>Accepted orders still in flight the moment the load stopped.</summary>
    public int BacklogAtEnd => Ledger.Lifetimes.Count(l => l.InFlightAt(LoadEndedAt));

    public double SubmitToCompletedP99Milliseconds => Ledger.SubmitToCompleted.PercentileMicroseconds(99) / 1000.0;

    /// <summary>
    /// The shop kept up: books balanced, nothing refused, less than a second's worth of orders left in flight when the
    /// load stopped, and 99 % of orders completed within a second.
    /// </summary>
    public bool Sustained => Ledger.Balanced && Ledger.Refused == 0 && BacklogAtEnd < Run.Rate && SubmitToCompletedP99Milliseconds <= 1_000;

    public double TotalCpuMillisecondsPerOrder => CpuMillisecondsPerOrder.Values.Sum();
}

/// <summary>
/// Orders only, open loop through the gateway, each run followed by the wait until the saga has settled and then the
/// ledger check (charges compared through the payment service's own address). Over each run, from its first order until
/// everything settled: the CPU of every process (PostgreSQL with its backends, RabbitMQ, each service), PostgreSQL's
/// transactions and statements per database, its peak backend count, and the log lines each service wrote.
/// </summary>
internal static class SagaBenchmark
{
    public const string PostgreSql = "PostgreSQL";
    public const string RabbitMq = "RabbitMQ";
    public const string Redis = "Redis";
    private const int ProductsPerRun = 20;

    /// <summary>Products for <paramref name="runs"/> runs, each its own, with stock for any of them.</summary>
    public static async Task<LoadTargets> PrepareAsync(ShopAccess client, int runs, CancellationToken cancellationToken)
    {
        var catalog = await LoadTargets.DiscoverAsync(client, items: ProductsPerRun * runs, cancellationToken: cancellationToken);
        await client.RestockAsync(catalog.ItemIds, 1_000_000, cancellationToken);
        return catalog;
    }

    /// <summary>
    /// Runs one rate on the products of run number <paramref name="index"/> (so orders of an earlier run still settling move no stock its
    /// ledger watches).
    /// </summary>
    public static async Task<SagaResult> RunAsync(
        DeployedShop shop, ShopAccess client, PaymentLedger payments, LoadTargets catalog, int index, SagaRun run, MemorySampler memory,
        CancellationToken cancellationToken)
    {
        var servers = shop.Servers;
        var targets = catalog with { OrderProductIds = catalog.ItemIds.Skip(index * ProductsPerRun).Take(ProductsPerRun).ToList() };
        Console.Error.WriteLine($"    saga, {run.Name}: {run.Rate:0} orders/s for {run.Duration.TotalSeconds:0} s");
        var before = await StockSnapshot.TakeAsync(client, targets.OrderProductIds, cancellationToken);
        var logLines = shop.Processes.ToDictionary(p => p.Name, p => CountLines(p.LogPath));
        var counters = new PostgresCounters(servers.Postgres!);
        await counters.StartAsync(cancellationToken);
        var cpu = new CpuMeter(CpuSources(shop));

        var postgresPid = servers.Postgres!.Pid!.Value;
        var peakBackends = 0;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakBackends = Math.Max(peakBackends, ProcessStatistics.Children(postgresPid).Count(IsClientBackend));
                memory.Sample();
                await Task.Delay(500, CancellationToken.None);
            }
        }, CancellationToken.None);

        var startedAt = DateTime.UtcNow;
        var load = await LoadGenerator.RunAsync(client, targets,
            new LoadProfile(run.Rate, run.Duration) { Mix = OperationMix.OrdersOnly, Customers = 500, DeclineShare = 0.05 },
            cancellationToken: cancellationToken);
        await counters.WaitUntilSettledAsync(TimeSpan.FromSeconds(90), cancellationToken);
        var spent = cpu.Read();
        await sampling.CancelAsync();
        await sampler;

        var accepted = Math.Max(1, load.Orders.Count(o => o.Outcome == PlacementOutcome.Accepted));
        var database = await counters.ReadAsync(accepted, cancellationToken);
        var ledger = await LedgerCheck.RunAsync(client, load.Orders, before,
            new LedgerCheckOptions { Payments = payments, SettleTimeout = TimeSpan.FromSeconds(90) }, cancellationToken);
        return new SagaResult(run, load, ledger, startedAt, startedAt + run.Duration, database,
            spent.ToDictionary(s => s.Key, s => s.Value.TotalMilliseconds / accepted), peakBackends,
            shop.Processes.ToDictionary(p => p.Name, p => (CountLines(p.LogPath) - logLines[p.Name]) / (double)accepted));
    }

    // A backend serves one client connection, and PostgreSQL titles it after its client
    // ("postgres: postgres orderingdb 127.0.0.1(35212) idle"); its own processes (checkpointer, walwriter, ...) are not counted.
    private static bool IsClientBackend(int pid)
    {
        try
        {
            var title = File.ReadAllText($"/proc/{pid}/cmdline");
            return title.Contains("127.0.0.1(", StringComparison.Ordinal) || title.Contains("[local]", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The processes whose CPU a run measures, grouped as the table shows them: replicas of a service together.</summary>
    private static Dictionary<string, Func<TimeSpan>> CpuSources(DeployedShop shop)
    {
        var servers = shop.Servers;
        var sources = new Dictionary<string, Func<TimeSpan>>
        {
            [PostgreSql] = () => ProcessStatistics.TreeCpuTime(servers.Postgres!.Pid!.Value),
            [RabbitMq] = () => servers.RabbitMq?.Pid is { } pid ? ProcessStatistics.TreeCpuTime(pid) : TimeSpan.Zero,
            [Redis] = () => servers.Redis?.Pid is { } pid ? ProcessStatistics.TreeCpuTime(pid) : TimeSpan.Zero,
        };
        foreach (var service in shop.Processes.GroupBy(p => ServiceOf(p.Name)))
        {
            var processes = service.ToList();
            sources[service.Key] = () => processes.Aggregate(TimeSpan.Zero, (sum, p) => sum + (p.CpuTime ?? TimeSpan.Zero));
        }
        return sources;
    }

    private static string ServiceOf(string instance) => instance.StartsWith("catalog-", StringComparison.Ordinal) ? "catalog" : instance;

    private static long CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        long lines = 0;
        while (reader.ReadLine() is not null)
        {
            lines++;
        }
        return lines;
    }

    public static void Print(IReadOnlyList<SagaResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("### Order saga through the gateway, open loop, then the ledger check");
        Console.WriteLine();
        Console.WriteLine(
            "Completed/s counts orders that reached Completed while the load was offered; the backlog is what was still in flight when " +
            "it stopped.");
        Console.WriteLine();
        Console.WriteLine(
            "| run | offered/s | s | accepted | refused (503) | completed/s while loaded | backlog at end | POST p50 / p99 ms | " +
            "submit→Completed p50 / p99 ms | ledger |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var r in results)
        {
            var post = r.Load.Operations[ShopOperation.PlaceOrder].Latency;
            var l = r.Ledger;
            var verdict = l.Balanced
                ? $"balanced: lost {l.Lost.Count}, stuck {l.Stuck.Count}, charges {l.SuccessfulCharges} = completed {l.Completed}"
                : $"NOT BALANCED: lost {l.Lost.Count}, stuck {l.Stuck.Count}, unresolved {l.Unresolved}, charge mismatches " +
                    $"{l.ChargeMismatches.Count}, stock mismatches {l.StockMismatches.Count}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Run.Name} | {r.Run.Rate:N0} | {r.Run.Duration.TotalSeconds:N0} | {l.Accepted:N0} | {l.Refused:N0} | " +
                $"{r.CompletedPerSecondWhileLoaded:N0} | {r.BacklogAtEnd:N0} | {post.PercentileMicroseconds(50) / 1000.0:N0} / " +
                $"{post.PercentileMicroseconds(99) / 1000.0:N0} | {l.SubmitToCompleted.PercentileMicroseconds(50) / 1000.0:N0} / " +
                $"{r.SubmitToCompletedP99Milliseconds:N0} | {verdict} |"));
        }
        var failures = results.Where(r => r.Load.Failed > 0)
            .Select(r =>
            $"{r.Run.Name}: {r.Load.Operations[ShopOperation.PlaceOrder].DescribeFailures()}, dropped {r.Load.Schedule.Dropped}").ToList();
        if (failures.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine(
                $"Order requests answered other than 202 (each refusal counted, retries after Retry-After included): " +
                $"{string.Join("; ", failures)}");
        }

        Console.WriteLine();
        Console.WriteLine(
            "### Cost per accepted order (CPU ms of each process over the run until the saga settled; PostgreSQL's counters)");
        Console.WriteLine();
        var components = results[0].CpuMillisecondsPerOrder.Keys.ToList();
        Console.WriteLine(
            $"| run | {string.Join(" | ", components)} | all | PG transactions (catalog / ordering / payment) | PG statements | PG " +
            $"backends (peak) |");
        Console.WriteLine($"|---|{string.Concat(components.Select(_ => "--:|"))}--:|--:|--:|--:|");
        foreach (var r in results)
        {
            var t = r.Database.TransactionsPerOrder;
            var cpu = string.Join(" | ", components.Select(c => r.CpuMillisecondsPerOrder[c].ToString("N2", CultureInfo.InvariantCulture)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Run.Name} | {cpu} | {r.TotalCpuMillisecondsPerOrder:N1} | " +
                $"{r.Database.Transactions:N1} ({t[ResourceNames.CatalogDb]:N1} / {t[ResourceNames.OrderingDb]:N1} / " +
                $"{t[ResourceNames.PaymentDb]:N1}) | {r.Database.StatementCount:N1} | {r.PeakBackends} |"));
        }
    }

    /// <summary>Each database's statements per order in one run: the table docs/benchmarks.md keeps.</summary>
    public static void PrintStatements(SagaResult result)
    {
        Console.WriteLine();
        Console.WriteLine($"### PostgreSQL statements per order, {result.Run.Name} ({result.Run.Rate:N0} orders/s; pg_stat_statements)");
        Console.WriteLine();
        Console.WriteLine("| database | calls per order | exec ms per order | statement |");
        Console.WriteLine("|---|--:|--:|---|");
        foreach (var s in result.Database.Statements.Where(s => s.CallsPerOrder >= 0.05))
        {
            var query = s.Query.Length > 110 ? s.Query[..110] + "…" : s.Query;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {s.Database} | {s.CallsPerOrder:N2} | {s.MillisecondsPerOrder:N3} | " +
                $"`{query.Replace("|", "\\|", StringComparison.Ordinal)}` |"));
        }
    }
}
