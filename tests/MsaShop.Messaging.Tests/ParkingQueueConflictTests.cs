using MsaShop.Messaging.Tests.Infrastructure;
using RabbitMQ.Client;

namespace MsaShop.Messaging.Tests;

public sealed class ParkingQueueConflictTests(InfrastructureFixture fixture)
{
    [Fact]
    public async Task A_parking_queue_declared_before_with_other_arguments_sends_the_failing_message_to_the_error_queue()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "parking-conflict");
        // The first redelivery waits Messaging:RedeliveryMinInterval (200 ms) in this queue; here it already exists, without a
        // time-to-live.
        await DeclarePlainQueueAsync(environment, $"{MessagingTestHost.EndpointName}_redelivery_200ms");
        await using var service = await MessagingTestHost.StartReadyAsync(environment);

        await service.EnqueueAsync(new PoisonEvent("parking-conflict"));

        var errorQueue = $"{MessagingTestHost.EndpointName}_error";
        await Eventually.ReturnsAsync(
            () => environment.QueueDepthsAsync(TestContext.Current.CancellationToken),
            queues => queues.GetValueOrDefault(errorQueue) == 1,
            $"one message in {errorQueue}");
        // One delivery, tried 1 + Messaging:RetryLimit (2) times; it never went round again through a requeue.
        Assert.Equal(3, await service.CountAsync("SELECT count(*) FROM deliveries WHERE consumer = 'poison'"));
        Assert.Equal(0, (await environment.QueueDepthsAsync(TestContext.Current.CancellationToken))[MessagingTestHost.EndpointName]);
    }

    private static async Task DeclarePlainQueueAsync(MessagingTestEnvironment environment, string queue)
    {
        var broker = RabbitMqConnection.Parse(environment.BrokerConnectionString);
        var factory = new ConnectionFactory
        {
            HostName = broker.Host,
            Port = broker.Port,
            VirtualHost = broker.VirtualHost,
            UserName = broker.UserName,
            Password = broker.Password,
        };
        await using var connection = await factory.CreateConnectionAsync(TestContext.Current.CancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            cancellationToken: TestContext.Current.CancellationToken);
    }
}
