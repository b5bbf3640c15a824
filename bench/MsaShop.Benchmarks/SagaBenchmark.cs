using System.Globalization;
using MsaShop.LoadGeneration;
using MsaShop.LocalInfrastructure;

namespace MsaShop.Benchmarks;

/// <summary>The order saga at one offered rate: what the load generator saw, what the ledger says, what PostgreSQL spent.</summary>
internal sealed record SagaResult(double Rate, LoadReport Load, LedgerReport Ledger, double PostgresCpuMillisecondsPerOrder, int PeakBackends, IReadOnlyDictionary<string, double> LogLinesPerOrder);

/// <summary>
/// Orders only, open loop through the gateway at fixed rates, each followed by the ledger check (charges compared
/// through the payment service's own address); PostgreSQL's CPU (server and backends) and backend count, and the
/// log lines each service wrote, are measured over the load.
/// </summary>
internal static class SagaBenchmark
{
    private const int ProductsPerRate = 20;

    public static async Task<IReadOnlyList<SagaResult>> RunAsync(
        DeployedShop deployed, IReadOnlyList<double> rates, TimeSpan duration, MemorySampler memory, CancellationToken cancellationToken)
    {
        var shop = deployed.Shop;
        using var gateway = ShopClient.CreateHttpClient(shop.Gateway, TimeSpan.FromSeconds(10));
        using var payment = ShopClient.CreateHttpClient(shop.Addresses["payment"], TimeSpan.FromSeconds(10));
        var client = new ShopClient(gateway, deployed.Tokens);
        // Each rate orders products of its own: the ledger of one rate is not disturbed by orders of the one before
        // that are still settling (they would move stock it watches).
        var catalog = await LoadTargets.DiscoverAsync(client, items: ProductsPerRate * rates.Count, cancellationToken: cancellationToken);
        foreach (var product in catalog.ItemIds)
        {
            await client.AddStockAsync(product, 1_000_000, Guid.NewGuid(), cancellationToken);
        }

        var postgresPid = deployed.Infrastructure.Postgres!.Pid!.Value;
        var results = new List<SagaResult>();
        foreach (var (rate, index) in rates.Select((rate, index) => (rate, index)))
        {
            var targets = catalog with { OrderProductIds = catalog.ItemIds.Skip(index * ProductsPerRate).Take(ProductsPerRate).ToList() };
            Console.Error.WriteLine($"    saga at {rate:0} orders/s for {duration.TotalSeconds:0} s");
            var before = await StockSnapshot.TakeAsync(client, targets.OrderProductIds, cancellationToken);
            var logLines = shop.Processes.ToDictionary(p => p.Name, p => CountLines(p.LogPath));
            var postgresCpu = ProcessStatistics.TreeCpuTime(postgresPid);
            var peakBackends = 0;
            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peakBackends = Math.Max(peakBackends, ProcessStatistics.Children(postgresPid).Count);
                    memory.Sample();
                    await Task.Delay(500, CancellationToken.None);
                }
            }, CancellationToken.None);

            var load = await LoadGenerator.RunAsync(client, targets,
                new LoadProfile(rate, duration) { Mix = OperationMix.OrdersOnly, Customers = 500, DeclineShare = 0.05 },
                cancellationToken: cancellationToken);
            var ledger = await LedgerCheck.RunAsync(client, load.Orders, before,
                new LedgerCheckOptions { Payments = new PaymentLedger(payment, deployed.Tokens), SettleTimeout = TimeSpan.FromSeconds(90) },
                cancellationToken);
            // The ledger check's own reads cost PostgreSQL too, but little: one indexed read per order and payment.
            var cpu = ProcessStatistics.TreeCpuTime(postgresPid) - postgresCpu;
            await sampling.CancelAsync();
            await sampler;

            var orders = Math.Max(1, ledger.Accepted);
            results.Add(new SagaResult(rate, load, ledger, cpu.TotalMilliseconds / orders, peakBackends,
                shop.Processes.ToDictionary(p => p.Name, p => (CountLines(p.LogPath) - logLines[p.Name]) / (double)orders)));
        }
        return results;
    }

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

    public static void Print(IReadOnlyList<SagaResult> results, TimeSpan duration)
    {
        Console.WriteLine();
        Console.WriteLine($"### Order saga through the gateway, open loop, {duration.TotalSeconds:0} s per rate, then the ledger check");
        Console.WriteLine();
        Console.WriteLine("| offered orders/s | accepted | completed/s | POST p50 ms | POST p99 ms | submit→Completed p50 ms | p99 ms | PostgreSQL CPU ms/order | PG backends (peak) | ledger |");
        Console.WriteLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var r in results)
        {
            var post = r.Load.Operations[ShopOperation.PlaceOrder].Latency;
            var l = r.Ledger;
            var verdict = l.Balanced
                ? $"balanced: lost {l.Lost.Count}, stuck {l.Stuck.Count}, charges {l.SuccessfulCharges} = completed {l.Completed}"
                : $"NOT BALANCED: lost {l.Lost.Count}, stuck {l.Stuck.Count}, unresolved {l.Unresolved}, charge mismatches {l.ChargeMismatches.Count}, stock mismatches {l.StockMismatches.Count}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Rate:N0} | {l.Accepted:N0} | {l.Completed / duration.TotalSeconds:N0} | {post.PercentileMicroseconds(50) / 1000.0:N1} | {post.PercentileMicroseconds(99) / 1000.0:N1} | " +
                $"{l.SubmitToCompleted.PercentileMicroseconds(50) / 1000.0:N0} | {l.SubmitToCompleted.PercentileMicroseconds(99) / 1000.0:N0} | {r.PostgresCpuMillisecondsPerOrder:N2} | {r.PeakBackends} | {verdict} |"));
        }
        var failures = results.Where(r => r.Load.Failed > 0).Select(r => $"{r.Rate:0}/s: {r.Load.Operations[ShopOperation.PlaceOrder].DescribeFailures()}, dropped {r.Load.Schedule.Dropped}").ToList();
        if (failures.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"Failed order requests: {string.Join("; ", failures)}");
        }
    }
}
