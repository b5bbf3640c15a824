using System.CommandLine;
using MsaShop.LocalInfrastructure;

namespace MsaShop.Run;

/// <summary>The default command: infrastructure and every service on loopback, until Ctrl-C or SIGTERM.</summary>
internal static class ShopCommand
{
    public static RootCommand Create()
    {
        var port = new Option<int>("--port") { Description = "The gateway's port (default: a free one)" };
        var canaryWeight = new Option<int>("--canary-weight")
        {
            Description = "Percent of users the gateway sends to the catalog canary (default 0)",
        };
        var command = new RootCommand("Runs MsaShop locally: real PostgreSQL, Redis and RabbitMQ, every service as its own process.")
        {
            port,
            canaryWeight,
        };
        command.SetAction((parse, stopping) => RunAsync(parse.GetValue(port), parse.GetValue(canaryWeight), stopping));
        return command;
    }

    private static async Task<int> RunAsync(int gatewayPort, int canaryWeight, CancellationToken stopping)
    {
        try
        {
            Console.WriteLine("==> starting PostgreSQL, Redis and RabbitMQ");
            await using var infrastructure = await LocalInfrastructure.LocalInfrastructure.StartAsync(cancellationToken: stopping);
            Console.WriteLine("==> starting catalog (2 replicas), catalog canary, ordering, payment and the gateway");
            await using var shop = await LocalShop.StartAsync(infrastructure,
                new LocalShopOptions { GatewayPort = gatewayPort, CanaryWeight = canaryWeight }, stopping);
            await ShopInstructions.PrintAsync(shop, stopping);
            await Task.Delay(Timeout.Infinite, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Ctrl-C: the `await using`s above have stopped every process by now.
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException or FileNotFoundException)
        {
            // A service that would not start: its log tail says why; everything started is stopped already.
            Console.Error.WriteLine($"error: {exception.Message}");
            return 1;
        }
        Console.WriteLine("==> stopped: every process this run started has exited");
        return 0;
    }
}
