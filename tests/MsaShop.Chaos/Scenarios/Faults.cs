using MsaShop.Harness;

namespace MsaShop.Chaos.Scenarios;

/// <summary>
/// The faults MsaShop must survive under load without losing, sticking or double-charging an order (docs/reliability.md).
/// </summary>
public static class Faults
{
    public static IReadOnlyList<ChaosScenario> All { get; } =
    [
        new(1, "catalog-replica", "SIGKILL catalog-0 (one of two replicas), start it again 10 s later", TimeSpan.FromSeconds(10),
            (shop, _) => shop.KillAsync("catalog-0"),
            (shop, ct) => shop.StartAgainAsync("catalog-0", ct)),
        new(2, "ordering", "SIGKILL ordering-0 (one of the saga owner's two instances) mid-flight, start it again 5 s later",
            TimeSpan.FromSeconds(5),
            (shop, _) => shop.KillAsync("ordering-0"),
            (shop, ct) => shop.StartAgainAsync("ordering-0", ct)),
        new(3, "payment", "SIGKILL payment, start it again 20 s later (its requests queue up meanwhile)", TimeSpan.FromSeconds(20),
            (shop, _) => shop.KillAsync("payment"),
            (shop, ct) => shop.StartAgainAsync("payment", ct)),
        new(4, "rabbitmq", "SIGKILL RabbitMQ, start it again 5 s later (every connection drops)", TimeSpan.FromSeconds(5),
            (shop, _) => shop.RabbitMq.KillAsync(),
            (shop, ct) => shop.RabbitMq.StartAsync(ct)),
        new(5, "postgres", "Stop PostgreSQL (fast shutdown: every session ends), start it again 5 s later", TimeSpan.FromSeconds(5),
            (shop, _) => shop.Postgres.StopAsync(),
            (shop, ct) => shop.Postgres.StartAsync(ct)),
        new(6, "redis", "Stop Redis for 30 s, start it again (empty)", TimeSpan.FromSeconds(30),
            (shop, _) => shop.Redis.StopAsync(),
            (shop, ct) => shop.Redis.StartAsync(ct)),
        new(7, "catalogdb-latency",
            "Slow the catalog's link to its database (+1 s each way) and make it lossy (20 % of segments a retransmission late) for 20 s",
            TimeSpan.FromSeconds(20),
            (shop, _) =>
            {
                var link = shop.DatabaseLinks[ResourceNames.CatalogDb];
                link.Latency = TimeSpan.FromSeconds(1);
                link.LossRate = 0.2;
                return Task.CompletedTask;
            },
            (shop, _) =>
            {
                shop.DatabaseLinks[ResourceNames.CatalogDb].Heal();
                return Task.CompletedTask;
            }),
        new(8, "postgres-crash",
            "SIGKILL PostgreSQL and every backend at once (a crash: the restart replays the WAL), start it again 5 s later",
            TimeSpan.FromSeconds(5),
            (shop, _) => shop.Postgres.CrashAsync(),
            (shop, ct) => shop.Postgres.StartAsync(ct)),
        new(9, "rabbitmq+catalog-replica", "SIGKILL RabbitMQ and catalog-0 together, start both again 10 s later", TimeSpan.FromSeconds(10),
            (shop, _) => Task.WhenAll(shop.RabbitMq.KillAsync(), shop.KillAsync("catalog-0")),
            (shop, ct) => Task.WhenAll(shop.RabbitMq.StartAsync(ct), shop.StartAgainAsync("catalog-0", ct))),
        new(10, "payment+postgres",
            "SIGKILL payment while PostgreSQL (ordering's database with the others) restarts, 10 s later both are back",
            TimeSpan.FromSeconds(10),
            (shop, _) => Task.WhenAll(shop.KillAsync("payment"), shop.Postgres.StopAsync()),
            // The database first: payment's start-up migrates.
            async (shop, ct) =>
            {
                await shop.Postgres.StartAsync(ct);
                await shop.StartAgainAsync("payment", ct);
            }),
        new(11, "rabbitmq-while-payment-down",
            "SIGKILL payment, then SIGKILL RabbitMQ and start it again; payment starts 15 s later " +
            "(its requests must have survived the broker)",
            TimeSpan.FromSeconds(15),
            async (shop, ct) =>
            {
                await shop.KillAsync("payment");
                await shop.RabbitMq.KillAsync();
                await shop.RabbitMq.StartAsync(ct);
            },
            (shop, ct) => shop.StartAgainAsync("payment", ct)),
    ];
}
