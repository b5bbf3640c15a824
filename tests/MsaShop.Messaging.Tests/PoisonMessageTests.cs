using MsaShop.Messaging.Tests.Infrastructure;
using MsaShop.Testing;

namespace MsaShop.Messaging.Tests;

public sealed class PoisonMessageTests(InfrastructureFixture fixture)
{
    [Fact]
    public async Task Message_its_consumer_always_fails_on_is_retried_redelivered_then_moved_to_the_error_queue()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "poison");
        await using var service = await MessagingTestHost.StartReadyAsync(environment);

        await service.EnqueueAsync(new PoisonEvent("poison"));

        var errorQueue = $"{MessagingTestHost.EndpointName}_error";
        await Eventually.ReturnsAsync(
            () => environment.QueueDepthsAsync(TestContext.Current.CancellationToken),
            queues => queues.GetValueOrDefault(errorQueue) == 1,
            $"one message in {errorQueue}");
        // Each delivery (the first plus Messaging:RedeliveryLimit, 2) is tried 1 + Messaging:RetryLimit (2) times,
        // each attempt rolled back: no inbox row is left behind.
        Assert.Equal(3 * 3, await service.CountAsync("SELECT count(*) FROM deliveries WHERE consumer = 'poison'"));
        Assert.Equal(0, await service.CountAsync("SELECT count(*) FROM inbox"));
        Assert.Equal(0, (await environment.QueueDepthsAsync(TestContext.Current.CancellationToken))[MessagingTestHost.EndpointName]);
    }
}
