using System.Net;
using System.Net.Sockets;
using MsaShop.Contracts;
using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Payment.Tests;

/// <summary>Two payment replicas on one database: one is frozen while it holds a batch of outbox rows.</summary>
public sealed class OutboxClaimTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task A_dispatcher_frozen_mid_batch_loses_its_claim_and_another_replica_publishes_the_rows()
    {
        var messaging = await infrastructure.CreateVirtualHostAsync("payment");
        var database = await infrastructure.CreateDatabaseAsync("payment");
        // A broker that accepts connections and never answers: the frozen replica's publish hangs with its batch claimed.
        using var silentBroker = new TcpListener(IPAddress.Loopback, 0);
        silentBroker.Start();
        var accepted = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await silentBroker.AcceptTcpClientAsync(TestContext.Current.CancellationToken));
            }
        }, TestContext.Current.CancellationToken);
        using var frozen = PaymentProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__paymentdb"] = database,
            ["ConnectionStrings__messaging"] = $"amqp://guest:guest@127.0.0.1:{((IPEndPoint)silentBroker.LocalEndpoint).Port}/",
            ["Messaging__OutboxPollingInterval"] = "00:00:00.500",
            ["Messaging__PublishTimeout"] = "00:00:05",
            ["Messaging__OutboxClaimTimeout"] = "00:00:06",
            ["Messaging__DispatchMinBackoff"] = "00:00:00.050",
            ["Messaging__DispatchMaxBackoff"] = "00:00:00.050",
        });
        await Eventually.TrueAsync(async () => await TableExistsAsync(database, "outbox"), "the frozen replica to migrate its database");
        var orderId = Guid.NewGuid();
        await Database.ExecuteAsync(database,
            "INSERT INTO outbox (message_id, message_type, payload) VALUES (gen_random_uuid(), @type, @payload::jsonb)",
            new
            {
                type = $"{typeof(PaymentSucceeded).FullName}, {typeof(PaymentSucceeded).Assembly.GetName().Name}",
                payload = $$"""{"orderId":"{{orderId}}","paymentId":"{{Guid.NewGuid()}}","amount":12.5}""",
            });

        await FreezeWhileItHoldsTheBatchAsync(frozen, database);

        await using var bus = await TestBus.StartAsync(messaging);
        await using var replica = new ServiceFactory<PaymentEntryPoint>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:paymentdb"] = database,
            ["ConnectionStrings:messaging"] = messaging,
            ["Messaging:OutboxPollingInterval"] = "00:00:00.500",
        });
        _ = replica.Server;

        await bus.WaitForAsync<PaymentSucceeded>(e => e.OrderId == orderId, "the other replica to publish the frozen replica's row");
        Assert.Equal(0, await Database.CountAsync(database, "SELECT count(*) FROM outbox WHERE sent_at IS NULL"));
        accepted.ForEach(client => client.Dispose());
    }

    /// <summary>SIGSTOPs the process at a moment its connection holds the outbox rows in an open transaction.</summary>
    private static async Task FreezeWhileItHoldsTheBatchAsync(PaymentProcess process, string database)
    {
        await Eventually.TrueAsync(async () =>
        {
            if (!await HoldsOutboxRowsAsync(database))
            {
                return false;
            }

            process.Freeze();
            await Task.Delay(200, TestContext.Current.CancellationToken);
            if (await HoldsOutboxRowsAsync(database))
            {
                return true;
            }

            // The batch ended between the look and the freeze: let it run on and try again.
            process.Thaw();
            return false;
        }, "the replica to be frozen mid-batch");
    }

    private static async Task<bool> HoldsOutboxRowsAsync(string database) =>
        await Database.CountAsync(database,
            """
            SELECT count(*) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
            WHERE a.datname = current_database() AND a.state = 'idle in transaction'
              AND l.relation = 'outbox'::regclass AND l.mode = 'RowShareLock'
            """) > 0;

    private static async Task<bool> TableExistsAsync(string database, string table) =>
        await Database.CountAsync(database, "SELECT count(*) FROM pg_tables WHERE tablename = @table", new { table }) > 0;
}
