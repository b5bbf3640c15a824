using Dapper;
using MsaShop.Messaging.Tests.Infrastructure;
using MsaShop.Testing;

namespace MsaShop.Messaging.Tests;

public sealed class OutboxDeliveryTests(InfrastructureFixture fixture)
{
    [Fact]
    public async Task Event_enqueued_in_a_committed_transaction_is_delivered()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "outbox_commit");
        await using var service = await MessagingTestHost.StartReadyAsync(environment);

        await service.EnqueueAsync(new SampleEvent("orders", 1));

        var effects = await Eventually.ReturnsAsync(
            () => service.QueryAsync<(string Producer, int Sequence)>("SELECT producer, sequence FROM effects"),
            rows => rows.Count == 1, "the event's effect");
        Assert.Equal(("orders", 1), effects[0]);
        await Eventually.ReturnsAsync(
            () => service.CountAsync("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), pending => pending == 0, "the row to be marked sent");
    }

    [Fact]
    public async Task Event_enqueued_in_a_rolled_back_transaction_is_never_delivered()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "outbox_rollback");
        await using var service = await MessagingTestHost.StartReadyAsync(environment);

        await service.EnqueueAsync(commit: false, new SampleEvent("orders", 1));
        // A later committed event is dispatched after the rolled-back one would have been (id order, one endpoint thread).
        await service.EnqueueAsync(new SampleEvent("orders", 2));

        await Eventually.ReturnsAsync(() => service.CountAsync("SELECT count(*) FROM effects WHERE sequence = 2"), count => count == 1, "the committed event");
        // The delivery log is a second consumer of the same message: it may finish after the effect is visible.
        await Eventually.ReturnsAsync(() => service.CountAsync("SELECT count(*) FROM deliveries"), count => count == 1, "one delivery, of the committed event");
        Assert.Equal(0, await service.CountAsync("SELECT count(*) FROM deliveries d JOIN effects e USING (message_id) WHERE e.sequence = 1"));
        Assert.Equal(1, await service.CountAsync("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task Row_whose_message_type_no_longer_exists_is_set_aside_without_blocking_the_rows_after_it()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "outbox_unreadable");
        await using var service = await MessagingTestHost.StartReadyAsync(environment);
        await using (var connection = await service.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        {
            await connection.ExecuteAsync(
                "INSERT INTO outbox (message_id, message_type, payload) VALUES (gen_random_uuid(), 'MsaShop.Removed.OldEvent, MsaShop.Removed', '{}')");
        }

        await service.EnqueueAsync(new SampleEvent("orders", 1));

        await Eventually.ReturnsAsync(() => service.CountAsync("SELECT count(*) FROM effects"), count => count == 1, "the event after the unreadable row");
        var setAside = await service.QueryAsync<(DateTime? FailedAt, DateTime? SentAt)>(
            "SELECT failed_at, sent_at FROM outbox WHERE message_type LIKE 'MsaShop.Removed.%'");
        Assert.NotNull(setAside[0].FailedAt);
        Assert.Null(setAside[0].SentAt);
    }
}
