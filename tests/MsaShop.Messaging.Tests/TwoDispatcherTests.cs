using MsaShop.Messaging.Tests.Infrastructure;
using MsaShop.Testing;

namespace MsaShop.Messaging.Tests;

public sealed class TwoDispatcherTests(InfrastructureFixture fixture)
{
    [Fact]
    public async Task Two_replicas_relay_each_row_they_commit_exactly_once()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "relays");
        // The dispatchers never sweep within the test: every publish is a relay's.
        var settings = new Dictionary<string, string?> { ["Messaging:OutboxSweepAfter"] = "01:00:00" };
        await using var first = await MessagingTestHost.StartReadyAsync(environment, settings);
        await using var second = await MessagingTestHost.StartReadyAsync(environment, settings);

        await Task.WhenAll(EnqueueEachAsync(first.EnqueueAsync, "first", Count / 2),
            EnqueueEachAsync(second.EnqueueAsync, "second", Count / 2));

        await AssertEachRowPublishedOnceAsync(environment, first);
    }

    [Fact]
    public async Task Two_replicas_sweep_the_rows_no_relay_published_exactly_once()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "sweeps");
        // Small batches so both dispatchers take turns; a generous publish timeout so a slow confirm is not retried.
        var settings = new Dictionary<string, string?>
        {
            ["Messaging:OutboxBatchSize"] = "3", ["Messaging:PublishTimeout"] = "00:01:00", ["Messaging:OutboxClaimTimeout"] = "00:02:00",
            ["Messaging:OutboxSweepAfter"] = "00:00:00",
        };
        await using var first = await MessagingTestHost.StartReadyAsync(environment, settings);
        await using var second = await MessagingTestHost.StartReadyAsync(environment, settings);

        await Task.WhenAll(
            EnqueueEachAsync(first.EnqueueForTheDispatcherAsync, "first", Count / 2),
            EnqueueEachAsync(second.EnqueueForTheDispatcherAsync, "second", Count / 2));

        await AssertEachRowPublishedOnceAsync(environment, first);
    }

    private const int Count = 40;

    // Counts deliveries before the inbox, so a double publish would show.
    private static async Task AssertEachRowPublishedOnceAsync(MessagingTestEnvironment environment, MessagingTestHost service)
    {
        await Eventually.ReturnsAsync(() => service.CountAsync("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), pending =>
            pending == 0, "every row sent");
        // Published rows are confirmed by the broker before they are marked sent: once the queue is empty, every delivery is logged.
        await Eventually.ReturnsAsync(
            () => environment.QueueDepthsAsync(TestContext.Current.CancellationToken),
            queues => queues.GetValueOrDefault(MessagingTestHost.EndpointName, -1) == 0,
            "the endpoint's queue to drain");
        var deliveriesPerMessage = await service.QueryAsync<long>(
            "SELECT count(d.id) FROM outbox o LEFT JOIN deliveries d USING (message_id) GROUP BY o.id");
        Assert.Equal(Count, deliveriesPerMessage.Count);
        Assert.All(deliveriesPerMessage, deliveries => Assert.Equal(1, deliveries));
        Assert.Equal(Count, await service.CountAsync("SELECT count(*) FROM effects"));
    }

    private static async Task EnqueueEachAsync(Func<object[], Task> enqueue, string producer, int count)
    {
        for (var sequence = 1; sequence <= count; sequence++)
        {
            await enqueue([new SampleEvent(producer, sequence)]);
        }
    }
}
