using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MsaShop.Messaging.Tests.Infrastructure;
using MsaShop.Testing;

namespace MsaShop.Messaging.Tests;

public sealed class InboxTests(InfrastructureFixture fixture)
{
    [Fact]
    public async Task Message_delivered_twice_with_the_same_MessageId_has_exactly_one_effect()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "inbox_twice");
        await using var service = await MessagingTestHost.StartReadyAsync(environment);
        var bus = service.Services.GetRequiredService<IBus>();
        var messageId = NewId.NextGuid();

        await bus.Publish(new SampleEvent("inbox", 1), context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        await bus.Publish(new SampleEvent("inbox", 1), context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        await DrainAsync(service, bus);

        Assert.Equal(2, await service.CountAsync("SELECT count(*) FROM deliveries WHERE message_id = @messageId", new { messageId }));
        Assert.Equal(1, await service.CountAsync("SELECT count(*) FROM effects WHERE message_id = @messageId", new { messageId }));
        Assert.Equal(1, await service.CountAsync("SELECT count(*) FROM inbox WHERE message_id = @messageId", new { messageId }));
    }

    [Fact]
    public async Task Outbox_row_published_again_after_a_crash_before_it_was_marked_sent_has_exactly_one_effect()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "inbox_replay");
        await using var service = await MessagingTestHost.StartReadyAsync(environment);
        await service.EnqueueAsync(new SampleEvent("replay", 1));
        await Eventually.ReturnsAsync(() => service.CountAsync("SELECT count(*) FROM effects"), count => count == 1, "the first delivery");

        // What a crash between the publish and the commit of sent_at leaves behind: a published row still pending.
        await using (var connection = await service.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        {
            await connection.ExecuteAsync("UPDATE outbox SET sent_at = NULL");
        }

        await Eventually.ReturnsAsync(() => service.CountAsync("SELECT count(*) FROM deliveries"), count => count == 2,
            "the re-published delivery");
        await DrainAsync(service, service.Services.GetRequiredService<IBus>());
        Assert.Equal(1, await service.CountAsync("SELECT count(*) FROM effects WHERE producer = 'replay'"));
        Assert.Equal(2, await service.CountAsync("SELECT count(*) FROM deliveries JOIN outbox USING (message_id)"));
    }

    [Fact]
    public async Task A_statement_consumer_records_the_message_once_and_its_effect_with_it_or_not_at_all()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "inbox_statement");
        await using var service = await MessagingTestHost.StartReadyAsync(environment);
        var bus = service.Services.GetRequiredService<IBus>();
        var twice = NewId.NextGuid();
        var refused = NewId.NextGuid();

        await bus.Publish(new MarkEvent("once"), context => context.MessageId = twice, TestContext.Current.CancellationToken);
        await bus.Publish(new MarkEvent("once"), context => context.MessageId = twice, TestContext.Current.CancellationToken);
        // Its statement always fails: retried, redelivered, then parked in the error queue.
        await bus.Publish(new MarkEvent("refused"), context => context.MessageId = refused, TestContext.Current.CancellationToken);
        await Eventually.ReturnsAsync(
            () => environment.QueueDepthsAsync(TestContext.Current.CancellationToken),
            queues => queues.GetValueOrDefault($"{MessagingTestHost.EndpointName}_error") == 1, "the refused mark in the error queue");
        await DrainAsync(service, bus);

        Assert.Equal(1, await service.CountAsync("SELECT count(*) FROM inbox WHERE message_id = @twice", new { twice }));
        Assert.Equal(1, await service.CountAsync("SELECT count(*) FROM marks WHERE key = 'once'"));
        // The inbox record rolled back with the failed statement: the message is not taken for handled.
        Assert.Equal(0, await service.CountAsync("SELECT count(*) FROM inbox WHERE message_id = @refused", new { refused }));
    }

    /// <summary>
    /// The endpoint handles one message at a time in queue order: once a later marker has its effect, everything before it is done.
    /// </summary>
    private static async Task DrainAsync(MessagingTestHost service, IBus bus)
    {
        var marker = NewId.NextGuid();
        await bus.Publish(new SampleEvent("marker", 0), context => context.MessageId = marker, TestContext.Current.CancellationToken);
        await Eventually.ReturnsAsync(
            () => service.CountAsync("SELECT count(*) FROM effects WHERE message_id = @marker", new { marker }), count => count == 1,
            "the marker");
    }
}
