using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MsaShop.Messaging.Tests.Infrastructure;
using MsaShop.Testing;

namespace MsaShop.Messaging.Tests;

public sealed class OutboxDeliveryTests(InfrastructureFixture fixture)
{
    // The dispatcher takes rows as soon as they are written, rather than leaving young ones to a relay.
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> SweepAtOnce = new() { ["Messaging:OutboxSweepAfter"] = "00:00:00" };

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
            () => service.CountAsync("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), pending => pending == 0,
            "the row to be marked sent");
    }

    [Fact]
    public async Task Event_enqueued_in_a_rolled_back_transaction_is_never_delivered()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "outbox_rollback");
        await using var service = await MessagingTestHost.StartReadyAsync(environment);

        await service.EnqueueAsync(commit: false, new SampleEvent("orders", 1));
        // A later committed event is dispatched after the rolled-back one would have been (id order, one endpoint thread).
        await service.EnqueueAsync(new SampleEvent("orders", 2));

        await Eventually.ReturnsAsync(() => service.CountAsync("SELECT count(*) FROM effects WHERE sequence = 2"), count => count == 1,
            "the committed event");
        // The delivery log is a second consumer of the same message: it may finish after the effect is visible.
        await Eventually.ReturnsAsync(() => service.CountAsync("SELECT count(*) FROM deliveries"), count => count == 1,
            "one delivery, of the committed event");
        Assert.Equal(0,
            await service.CountAsync("SELECT count(*) FROM deliveries d JOIN effects e USING (message_id) WHERE e.sequence = 1"));
        Assert.Equal(1, await service.CountAsync("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task A_rolled_back_transactions_events_are_never_relayed_by_a_later_transaction_that_reuses_its_object()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "outbox_reuse");
        await using var service = await MessagingTestHost.StartReadyAsync(environment);
        var outbox = service.Services.GetRequiredService<IOutbox>();
        await using var connection = await service.DataSource.OpenConnectionAsync(Ct);

        var rolledBack = await outbox.BeginTransactionAsync(connection, Ct);
        await outbox.EnqueueAsync(rolledBack, new SampleEvent("reuse", 1), Ct);
        await rolledBack.RollbackAsync(Ct);
        var committed = await outbox.BeginTransactionAsync(connection, Ct);
        // Npgsql hands out the same transaction object again on the same connection: the case this test is about.
        Assert.Same(rolledBack, committed);
        await outbox.EnqueueAsync(committed, new SampleEvent("reuse", 2), Ct);
        await outbox.CommitAsync(committed, Ct);

        await Eventually.ReturnsAsync(() => service.CountAsync("SELECT count(*) FROM deliveries"), count => count == 1,
            "the committed event's delivery");
        Assert.Equal([2], await service.QueryAsync<int>("SELECT sequence FROM effects"));
    }

    [Fact]
    public async Task Row_of_an_event_type_this_version_does_not_know_waits_for_a_version_that_does_without_blocking_the_rows_after_it()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "outbox_unknown_type");
        await using var service = await MessagingTestHost.StartReadyAsync(environment, SweepAtOnce);
        // Written by a newer version of the service during a rolling deploy: this version cannot load the type.
        await service.ExecuteAsync(
            "INSERT INTO outbox (message_id, message_type, payload) VALUES (gen_random_uuid(), 'MsaShop.Future.NewEvent, " +
                "MsaShop.Future', '{}')");

        // Left to the dispatcher too, whose sweeps meet the unknown row first.
        await service.EnqueueForTheDispatcherAsync(new SampleEvent("orders", 1));
        await service.EnqueueForTheDispatcherAsync(new SampleEvent("orders", 2));

        await Eventually.ReturnsAsync(() => service.CountAsync("SELECT count(*) FROM effects"), count => count == 2,
            "the events after the unknown row");
        var waiting = await service.QueryAsync<(DateTime? FailedAt, DateTime? SentAt, int Attempts, string? Error)>(
            "SELECT failed_at, sent_at, attempts, error FROM outbox WHERE message_type LIKE 'MsaShop.Future.%'");
        Assert.Equal((null, null, 0, null), waiting[0]);
    }

    [Fact]
    public async Task Row_whose_payload_cannot_be_read_is_set_aside_with_its_error_without_blocking_the_rows_after_it()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "outbox_unreadable");
        await using var service = await MessagingTestHost.StartReadyAsync(environment, SweepAtOnce);
        await service.ExecuteAsync(
            "INSERT INTO outbox (message_id, message_type, payload) VALUES (gen_random_uuid(), @type, '{\"producer\": 5}')",
            new { type = $"{typeof(SampleEvent).FullName}, {typeof(SampleEvent).Assembly.GetName().Name}" });

        await service.EnqueueForTheDispatcherAsync(new SampleEvent("orders", 1));

        await Eventually.ReturnsAsync(() => service.CountAsync("SELECT count(*) FROM effects"), count => count == 1,
            "the event after the unreadable row");
        // Set aside in the sweep that published the event, which commits once the broker confirmed it.
        var setAside = await Eventually.ReturnsAsync(
            () => service.QueryAsync<(DateTime? FailedAt, DateTime? SentAt, string? Error)>(
                "SELECT failed_at, sent_at, error FROM outbox WHERE payload->>'producer' = '5'"),
            rows => rows[0].FailedAt is not null, "the unreadable row set aside");
        Assert.Null(setAside[0].SentAt);
        Assert.Contains("cannot read", setAside[0].Error, StringComparison.Ordinal);
    }
}
