using MsaShop.Messaging.Tests.Infrastructure;
using MsaShop.Testing;

namespace MsaShop.Messaging.Tests;

public sealed class TwoDispatcherTests(InfrastructureFixture fixture)
{
    [Fact]
    public async Task Two_replicas_on_one_database_publish_every_outbox_row_exactly_once()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "replicas");
        // Small batches so both dispatchers take turns; a generous publish timeout so a slow confirm is not retried.
        var settings = new Dictionary<string, string?>
        {
            ["Messaging:OutboxBatchSize"] = "3", ["Messaging:PublishTimeout"] = "00:01:00", ["Messaging:OutboxClaimTimeout"] = "00:02:00",
        };
        await using var first = await MessagingTestHost.StartReadyAsync(environment, settings);
        await using var second = await MessagingTestHost.StartReadyAsync(environment, settings);

        const int count = 40;
        await Task.WhenAll(
            EnqueueEachAsync(first, "first", count / 2),
            EnqueueEachAsync(second, "second", count / 2));

        await Eventually.ReturnsAsync(() => first.CountAsync("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), pending => pending == 0, "every row sent");
        // Published rows are confirmed by the broker before they are marked sent: once the queue is empty, every delivery is logged.
        await Eventually.ReturnsAsync(
            () => environment.QueueDepthsAsync(cancellationToken),
            queues => queues.GetValueOrDefault(MessagingTestHost.EndpointName, -1) == 0,
            "the endpoint's queue to drain");
        var deliveriesPerMessage = await first.QueryAsync<long>(
            "SELECT count(d.id) FROM outbox o LEFT JOIN deliveries d USING (message_id) GROUP BY o.id");
        Assert.Equal(count, deliveriesPerMessage.Count);
        Assert.All(deliveriesPerMessage, deliveries => Assert.Equal(1, deliveries));
        Assert.Equal(count, await first.CountAsync("SELECT count(*) FROM effects"));
    }

    private static async Task EnqueueEachAsync(MessagingTestHost service, string producer, int count)
    {
        for (var sequence = 1; sequence <= count; sequence++)
        {
            await service.EnqueueAsync(new SampleEvent(producer, sequence));
        }
    }
}
