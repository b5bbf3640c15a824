using MsaShop.Contracts;
using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Payment.Tests;

public sealed class CrashRecoveryTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task A_payment_process_killed_after_charging_resumes_and_never_charges_twice()
    {
        var messaging = await infrastructure.CreateVirtualHostAsync("payment");
        var database = await infrastructure.CreateDatabaseAsync("payment");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__paymentdb"] = database,
            ["ConnectionStrings__messaging"] = messaging,
            // Slow enough to be caught between "the provider charged" and "we recorded it".
            ["Payment__Provider__Latency"] = "00:00:06",
        };
        await using var bus = await TestBus.StartAsync(messaging);
        var orders = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();

        using (var doomed = PaymentProcess.Start(environment))
        {
            await infrastructure.WaitForConsumerAsync(messaging, "payment");
            foreach (var orderId in orders)
            {
                await bus.PublishAsync(new PaymentRequested(orderId, "uma", 25m, "tok_visa"), Guid.NewGuid());
            }

            await Eventually.TrueAsync(
                async () => await Database.CountAsync(database, "SELECT count(*) FROM simulated_provider_charges") > 0,
                "the provider to charge a card");
            doomed.Kill();
        }

        Assert.Empty(bus.Received<PaymentSucceeded>());
        Assert.True(await Database.CountAsync(database, "SELECT count(*) FROM payments WHERE status = 'Charging'") > 0);

        environment["Payment__Provider__Latency"] = "00:00:00.100";
        using var restarted = PaymentProcess.Start(environment);
        foreach (var orderId in orders)
        {
            await bus.WaitForAsync<PaymentSucceeded>(e => e.OrderId == orderId, $"PaymentSucceeded for {orderId}");
            Assert.Equal(1, await Database.ProviderChargesAsync(database, orderId));
        }

        Assert.Equal(0, await Database.CountAsync(database, "SELECT count(*) FROM payments WHERE status = 'Charging'"));
    }
}
