using MsaShop.Contracts;
using MsaShop.Testing;

namespace MsaShop.Payment.Tests;

public sealed class ProviderFailureTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task A_flaky_provider_is_retried_until_every_order_is_charged_exactly_once()
    {
        await using var payment = await PaymentService.StartAsync(infrastructure, new Dictionary<string, string?>
        {
            // Half the calls fail, and half of those after the card was charged (the answer was lost).
            ["Payment:Provider:TransientFailureRate"] = "0.5",
            ["Payment:Provider:Latency"] = "00:00:00.010",
            ["Payment:Provider:MaxRetryAttempts"] = "10",
            ["Payment:Provider:RetryDelay"] = "00:00:00.010",
        });
        var orders = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();

        foreach (var orderId in orders)
        {
            await payment.Bus.PublishAsync(new PaymentRequested(orderId, "tess", 9.99m, "tok_visa"), Guid.NewGuid());
        }

        foreach (var orderId in orders)
        {
            await payment.Bus.WaitForAsync<PaymentSucceeded>(e => e.OrderId == orderId, $"PaymentSucceeded for {orderId}");
            Assert.Equal(1, await payment.ProviderChargesAsync(orderId));
        }
    }
}
