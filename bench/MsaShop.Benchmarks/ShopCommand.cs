namespace MsaShop.Benchmarks;

/// <summary><c>eng/bench.sh shop</c>: the shop as deployed, until Ctrl-C, for the load generator or anything else to drive.</summary>
internal static class ShopCommand
{
    public static async Task<int> RunAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        await using var shop = await BenchmarkedShop.StartAsync(repositoryRoot, cancellationToken);
        Console.WriteLine($"""
            MsaShop is running as deployed (Production, processes on loopback). Ctrl-C stops it.
              gateway:  {shop.Gateway}
              payment:  {shop.Addresses["payment"]}   (no gateway route; the ledger check reads it)
              started in: {string.Join(", ", shop.StartupTimes.Select(s => $"{s.Key} {s.Value.TotalSeconds:0.0} s"))}

            export Identity__SigningKey='{shop.SigningKey}'
            dotnet bench/MsaShop.LoadGenerator/bin/Release/net10.0/MsaShop.LoadGenerator.dll \
              --url {shop.Gateway} --payment-url {shop.Addresses["payment"]} --rate 50 --duration 30s
            """);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("stopping the shop");
        }
        return 0;
    }
}
