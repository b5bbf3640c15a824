using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MsaShop.Contracts;
using MsaShop.Payment.Provider;
using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Payment.Tests;

/// <summary>Payments whose saga step fell through, settled by payment's reconciliation.</summary>
public sealed class PaymentReconciliationTests(InfrastructureFixture infrastructure)
{
    private static readonly Dictionary<string, string?> Reconciling = new()
    {
        ["Payment:Reconciliation:Interval"] = "00:00:00.500",
        ["Payment:Reconciliation:StaleAfter"] = "00:00:01",
    };

    [Fact]
    public async Task A_payment_whose_request_was_lost_mid_charge_is_completed_from_the_providers_record()
    {
        var messaging = await infrastructure.CreateVirtualHostAsync("payment");
        var database = await infrastructure.CreateDatabaseAsync("payment");
        await using var bus = await TestBus.StartAsync(messaging);
        var orderId = Guid.NewGuid();
        using (var doomed = PaymentProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__paymentdb"] = database,
            ["ConnectionStrings__messaging"] = messaging,
            // Slow enough to be killed between "the provider charged" and "payment recorded it".
            ["Payment__Provider__Latency"] = "00:00:06",
        }))
        {
            await infrastructure.WaitForConsumerAsync(messaging, "payment");
            await bus.PublishAsync(new PaymentRequested(orderId, "ursula", 20m, "tok_visa", DateTimeOffset.UtcNow.AddMinutes(5)),
                Guid.NewGuid());
            await Eventually.TrueAsync(async () => await Database.ProviderChargesAsync(database, orderId) == 1,
                "the provider to charge the card");
            doomed.Kill();
        }

        // The request is gone, as if it had been parked in payment_error: nothing will deliver it again.
        await infrastructure.PurgeAsync(messaging, "payment");
        Assert.Equal(1,
            await Database.CountAsync(database, "SELECT count(*) FROM payments WHERE order_id = @orderId AND status = 'Charging'",
            new { orderId }));

        await using var restarted = await PaymentService.StartAsync(infrastructure, Reconciling, messaging, database);

        var succeeded = await bus.WaitForAsync<PaymentSucceeded>(e => e.OrderId == orderId, "PaymentSucceeded from the reconciliation");
        Assert.Equal(20m, succeeded.Amount);
        Assert.Equal(1, await restarted.ProviderChargesAsync(orderId));
        Assert.Equal(1,
            await Database.CountAsync(database, "SELECT count(*) FROM payments WHERE order_id = @orderId AND status = 'Succeeded'",
            new { orderId }));
    }

    [Fact]
    public async Task A_request_that_arrives_after_its_deadline_charges_nothing_and_its_key_can_never_charge()
    {
        await using var payment = await PaymentService.StartAsync(infrastructure);
        var orderId = Guid.NewGuid();
        var request = new PaymentRequested(orderId, "victor", 30m, "tok_visa", DateTimeOffset.UtcNow.AddSeconds(-1));

        await payment.Bus.PublishAsync(request, Guid.NewGuid());
        await Eventually.TrueAsync(
            async () =>
                await Database.CountAsync(payment.Database,
                "SELECT count(*) FROM payments WHERE order_id = @orderId AND status = 'Expired'", new { orderId }) == 1,
            "the payment to expire");
        // The same request again, without a deadline this time: the payment is settled, and the provider's key is void.
        await payment.Bus.PublishAsync(request with { Deadline = null }, Guid.NewGuid());
        await infrastructure.WaitUntilDrainedAsync(payment.Messaging, "payment");

        Assert.Equal(0, await payment.ProviderChargesAsync(orderId));
        Assert.DoesNotContain(payment.Bus.Received<PaymentSucceeded>(), e => e.OrderId == orderId);
        Assert.DoesNotContain(payment.Bus.Received<PaymentFailed>(), e => e.OrderId == orderId);
    }

    [Fact]
    public async Task A_request_past_its_deadline_charges_nothing_though_payments_clock_is_behind_by_less_than_the_skew_bound()
    {
        var messaging = await infrastructure.CreateVirtualHostAsync("payment");
        await using var payment = new ServiceFactory<PaymentEntryPoint>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:paymentdb"] = await infrastructure.CreateDatabaseAsync("payment"),
            ["ConnectionStrings:messaging"] = messaging,
            ["Payment:MaxClockSkew"] = "00:00:05",
        }).WithWebHostBuilder(host => host.ConfigureTestServices(services =>
            // Payment's clock is 3 s behind ordering's, within Payment:MaxClockSkew.
            services.AddSingleton<TimeProvider>(new SkewedClock(TimeSpan.FromSeconds(-3)))));
        _ = payment.Server;
        await using var bus = await TestBus.StartAsync(messaging);
        await infrastructure.WaitForConsumerAsync(messaging, "payment");
        var database = payment.Services.GetRequiredService<IConfiguration>().GetConnectionString("paymentdb")!;
        var orderId = Guid.NewGuid();

        // Ordering gave up on the order a second ago; by payment's clock that is two seconds from now.
        await bus.PublishAsync(new PaymentRequested(orderId, "xenia", 15m, "tok_visa", DateTimeOffset.UtcNow.AddSeconds(-1)),
            Guid.NewGuid());

        await Eventually.TrueAsync(
            async () =>
                await Database.CountAsync(database, "SELECT count(*) FROM payments WHERE order_id = @orderId AND status = 'Expired'",
                new { orderId }) == 1,
            "the payment to expire");
        Assert.Equal(0, await Database.ProviderChargesAsync(database, orderId));
    }

    [Fact]
    public async Task A_payment_whose_provider_call_always_fails_never_holds_up_the_others()
    {
        var database = await infrastructure.CreateDatabaseAsync("payment");
        Guid[] payments = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        await using var payment = new ServiceFactory<PaymentEntryPoint>(new Dictionary<string, string?>(Reconciling)
        {
            ["ConnectionStrings:paymentdb"] = database,
            ["ConnectionStrings:messaging"] = await infrastructure.CreateVirtualHostAsync("payment"),
        }).WithWebHostBuilder(host => host.ConfigureTestServices(services =>
            services.AddSingleton<IPaymentProvider>(provider =>
                new FailingForOneKey(ActivatorUtilities.CreateInstance<SimulatedPaymentProvider>(provider), payments[0]))));
        _ = payment.Server;

        // Three payments left Charging long past their deadline, the one the provider always fails on first in the job's order.
        for (var i = 0; i < payments.Length; i++)
        {
            await Database.ExecuteAsync(database,
                """
                INSERT INTO payments (id, order_id, customer_id, amount, status, charge_deadline, created_at, updated_at)
                VALUES (@id, @orderId, 'wanda', 10, 'Charging', now() - interval '1 hour', now() - interval '1 hour',
                        now() - make_interval(mins => 30 - @i))
                """,
                new { id = payments[i], orderId = Guid.NewGuid(), i });
        }

        // The other two are settled (never charged: their keys voided, the payments Expired); the first stays Charging.
        await Eventually.TrueAsync(
            async () =>
                await Database.CountAsync(database, "SELECT count(*) FROM payments WHERE id = ANY(@others) AND status = 'Expired'",
                new { others = payments[1..] }) == 2,
            "the other payments to be settled");
        Assert.Equal(1,
            await Database.CountAsync(database, "SELECT count(*) FROM payments WHERE id = @id AND status = 'Charging'",
            new { id = payments[0] }));
    }

    private sealed class SkewedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }

    /// <summary>
    /// The simulated provider, except that every question about one idempotency key fails, as a provider's bug for one charge would.
    /// </summary>
    private sealed class FailingForOneKey(IPaymentProvider provider, Guid key) : IPaymentProvider
    {
        public Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken) =>
            provider.ChargeAsync(request, cancellationToken);

        public Task<ChargeResult?> FindChargeAsync(Guid idempotencyKey, CancellationToken cancellationToken) =>
            idempotencyKey == key
                ? throw new InvalidOperationException($"The provider fails on {key}.")
                : provider.FindChargeAsync(idempotencyKey, cancellationToken);

        public Task<ChargeResult?> VoidAsync(Guid idempotencyKey, CancellationToken cancellationToken) =>
            idempotencyKey == key
                ? throw new InvalidOperationException($"The provider fails on {key}.")
                : provider.VoidAsync(idempotencyKey, cancellationToken);

        public Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken) =>
            provider.RefundAsync(request, cancellationToken);
    }
}
