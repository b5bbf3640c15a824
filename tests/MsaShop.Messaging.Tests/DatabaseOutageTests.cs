using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MsaShop.Messaging.Tests.Infrastructure;
using MsaShop.Testing;

namespace MsaShop.Messaging.Tests;

public sealed class DatabaseOutageTests(InfrastructureFixture fixture)
{
    [Fact]
    public async Task A_message_whose_database_is_down_for_longer_than_its_retries_waits_for_a_redelivery_and_is_handled_once()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "db_outage");
        // The in-process retries give up within a second; redeliveries come back every second for a minute.
        await using var service = await MessagingTestHost.StartReadyAsync(environment, new Dictionary<string, string?>
        {
            ["Messaging:RedeliveryLimit"] = "60",
            ["Messaging:RedeliveryMinInterval"] = "00:00:01",
            ["Messaging:RedeliveryMaxInterval"] = "00:00:01",
        });
        var messageId = NewId.NextGuid();
        var errorQueue = $"{MessagingTestHost.EndpointName}_error";

        await using (await fixture.TakeDatabaseOfflineAsync(environment.DatabaseConnectionString))
        {
            await service.Services.GetRequiredService<IBus>().Publish(
                new SampleEvent("outage", 1), context => context.MessageId = messageId, cancellationToken);

            // Its retries failed against the database: the message waits in RabbitMQ for its next try, not in the error queue.
            var queues = await Eventually.ReturnsAsync(
                () => environment.QueueDepthsAsync(cancellationToken),
                depths =>
                    depths.Any(queue =>
                    queue.Key.StartsWith($"{MessagingTestHost.EndpointName}_redelivery_", StringComparison.Ordinal) && queue.Value == 1),
                "the message to wait in a redelivery queue");
            Assert.Equal(0, queues.GetValueOrDefault(errorQueue));
        }

        await Eventually.ReturnsAsync(
            () => service.CountAsync("SELECT count(*) FROM effects WHERE message_id = @messageId", new { messageId }),
            count => count == 1, "the effect once the database is back");
        var depths = await environment.QueueDepthsAsync(cancellationToken);
        Assert.Equal(0, depths.GetValueOrDefault(errorQueue));
        Assert.Equal(1, await service.CountAsync("SELECT count(*) FROM inbox WHERE message_id = @messageId", new { messageId }));
    }
}
