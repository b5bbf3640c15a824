using System.Runtime.InteropServices;
using MsaShop.Harness;

namespace MsaShop.Benchmarks;

/// <summary>
/// Measures MsaShop's speed claims against real PostgreSQL and Redis processes and prints them as ratios
/// measured in the same run: absolute figures depend on the machine, the ratios much less.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Ctrl-C or a TERM stops the run, and the servers with it, rather than leaving them to the reaper.
        using var cancellation = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            cancellation.Cancel();
        }
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var cancellationToken = cancellation.Token;
        var repositoryRoot = Directory.GetCurrentDirectory();
        // --services-from <checkout>: measure the services built in another checkout (an earlier commit), same benchmark.
        var servicesRoot = repositoryRoot;
        if (args is [.. var rest, "--services-from", var other])
        {
            servicesRoot = Path.GetFullPath(other);
            args = rest;
        }
        switch (args)
        {
            case ["shop"]:
                return await ShopCommand.RunAsync(servicesRoot, cancellationToken);
            case [BareKestrel.Command, var url, var bodyFile]:
                return await BareKestrel.RunAsync(url, bodyFile);
            case [] or ["--quick"]:
                break;
            default:
                Console.Error.WriteLine(
                    "usage: eng/bench.sh [--quick] [--services-from <checkout>] | eng/bench.sh shop [--services-from <checkout>]");
                return 2;
        }
        var quick = args is ["--quick"];
        try
        {
            Console.WriteLine($"MsaShop benchmarks{(quick ? " (--quick)" : "")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: " +
                $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; " +
                $"load average {LoadAverage()} at the start");
            if (servicesRoot != repositoryRoot)
            {
                Console.WriteLine($"services built in {servicesRoot}");
            }
            await ShopBenchmark.RunAsync(servicesRoot, quick ? ShopBenchmarkSettings.Quick : ShopBenchmarkSettings.Full, cancellationToken);
            if (quick)
            {
                Console.WriteLine($"\nload average {LoadAverage()} at the end");
                return 0;
            }

            Console.Error.WriteLine("==> catalog item reads: Redis vs PostgreSQL");
            await using var infrastructure = await BackingServers.StartAsync(
                new BackingServersOptions { RabbitMq = false, Databases = [ResourceNames.CatalogDb] }, cancellationToken);

            var (oneCaller, concurrent) = await CatalogItemReads.RunAsync(
                infrastructure.ToConfiguration(), new Rounds(Warmup: 1_000, Count: 10, OperationsPerRound: 1_000), cancellationToken);
            ResultTable.Print("Catalog item read: PostgreSQL, Redis, in process (one caller)", oneCaller);
            var postgres = Find(oneCaller, CatalogItemReads.PostgreSql);
            ResultTable.PrintLatencyRatio(postgres, Find(oneCaller, CatalogItemReads.RedisHit));
            ResultTable.PrintLatencyRatio(postgres, Find(oneCaller, CatalogItemReads.InProcessHit));

            ResultTable.Print($"Catalog item read: PostgreSQL vs in process ({CatalogItemReads.ConcurrentCallers} concurrent callers)",
                concurrent);
            ResultTable.PrintThroughputRatio(Find(concurrent, CatalogItemReads.InProcessHit),
                Find(concurrent, CatalogItemReads.PostgreSql));
            Console.WriteLine($"\nload average {LoadAverage()} at the end");
            return 0;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("Cancelled.");
            return 130;
        }
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);

    private static Measurement Find(IReadOnlyList<Measurement> measurements, string name) => measurements.Single(m => m.Name == name);
}
