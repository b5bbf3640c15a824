using System.Diagnostics;
using System.Runtime.InteropServices;
using MsaShop.Chaos.Report;
using MsaShop.Chaos.Scenarios;
using MsaShop.Chaos.Shop;
using MsaShop.LoadGeneration;

// Runs the shop as deployed, drives steady load through its gateway, injects one fault per scenario and checks the
// books after each (docs/reliability.md). `eng/chaos.sh [name…]` runs it; the last line is "N passed, N failed".
var repositoryRoot = Directory.GetCurrentDirectory();
if (!File.Exists(Path.Combine(repositoryRoot, "MsaShop.sln")))
{
    Console.Error.WriteLine("error: run from the repository root (eng/chaos.sh does)");
    return 2;
}
var unknown = args.Except(Faults.All.Select(s => s.Name)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine(
        $"error: no scenario {string.Join(", ", unknown)}; the scenarios: {string.Join(", ", Faults.All.Select(s => s.Name))}");
    return 2;
}
var scenarios = args.Length == 0 ? Faults.All : Faults.All.Where(s => args.Contains(s.Name)).ToList();

// SIGINT and SIGTERM end the run cleanly: every process and server it started is stopped on the way out.
using var stop = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

var settings = new ChaosSettings();
var watch = Stopwatch.StartNew();
var results = new List<ScenarioResult>();
try
{
    await using var shop = await ChaosShop.StartAsync(repositoryRoot, stop.Token);
    Console.WriteLine($"the shop is up in {watch.Elapsed.TotalSeconds:N0} s (logs in {shop.Servers.Directory}); " +
        $"{settings.Rate:N0} arrivals/s ({settings.Mix}), {settings.Before.TotalSeconds:N0} s before each fault, " +
        $"{settings.After.TotalSeconds:N0} s after its hold");
    var client = shop.Client;
    var targets = await LoadTargets.DiscoverAsync(client, cancellationToken: stop.Token);
    await client.RestockAsync(targets.OrderProductIds, settings.Restock, stop.Token);

    var runner = new ScenarioRunner(shop, settings, targets);
    try
    {
        Console.WriteLine($"==> warming up: {settings.WarmUp.TotalSeconds:N0} s of the same load, no fault");
        await runner.WarmUpAsync(stop.Token);
        foreach (var scenario in scenarios)
        {
            Console.WriteLine($"==> {scenario.Number}. {scenario.Name}: {scenario.Fault}");
            var result = await runner.RunAsync(scenario, stop.Token);
            result.WriteTo(Console.Out);
            Console.WriteLine($"    chart: {TimelineChart.WriteTo(Path.Combine(repositoryRoot, "artifacts", "chaos-charts"), result)}");
            results.Add(result);
        }
    }
    finally
    {
        var logs = Path.Combine(repositoryRoot, "artifacts", "chaos-logs");
        shop.CopyLogsTo(logs);
        Console.WriteLine($"every server's and service's log: {logs}");
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("interrupted: the shop is stopped");
    return 130;
}

Console.WriteLine();
Console.WriteLine("| scenario | orders sent | accepted | failed during the fault (orders / reads) " +
    "| p99 during the fault (orders / reads) | API errors until (after heal) | saga caught up (after load) | ledger |");
Console.WriteLine("|---|--:|--:|---|---|--:|--:|---|");
foreach (var r in results)
{
    var (orders, reads) = (r.DuringFault[0], r.DuringFault[1]);
    var caughtUp = r.CaughtUpAfterLoad is { } caught ? Seconds(caught) : "NOT within the bound";
    Console.WriteLine($"| {r.Scenario.Number}. {r.Scenario.Name} | {r.OrdersSent} | {r.OrdersAccepted} | " +
        $"{orders.Failed}/{orders.Requests} ({orders.ErrorRate:P0}) / {reads.Failed}/{reads.Requests} ({reads.ErrorRate:P0}) | " +
        $"{orders.P99.TotalMilliseconds:N0} / {reads.P99.TotalMilliseconds:N0} ms | {Seconds(r.ErrorsAfterHeal ?? TimeSpan.Zero)} | " +
        $"{caughtUp} | {(r.Passed ? "balanced" : "NOT BALANCED")} |");
}
Console.WriteLine($"chaos run took {watch.Elapsed.TotalMinutes:N1} min");
var passed = results.Count(r => r.Passed);
Console.WriteLine($"{passed} passed, {results.Count - passed} failed");
return passed == results.Count ? 0 : 1;

static string Seconds(TimeSpan span) => $"{span.TotalSeconds:N1} s";
