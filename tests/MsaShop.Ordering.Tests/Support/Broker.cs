using MsaShop.Messaging;
using MsaShop.Testing;

namespace MsaShop.Tests.Support;

/// <summary>Looks into the real broker's queues with rabbitmqctl.</summary>
public static class Broker
{
    /// <summary>Messages in <paramref name="queue"/> (ready + unacknowledged), or null while it does not exist.</summary>
    public static Task<int?> MessagesAsync(this InfrastructureFixture infrastructure, string connectionString, string queue) =>
        QueueInfoAsync(infrastructure, connectionString, queue, "messages");

    /// <summary>Waits until a consumer has taken and settled everything in <paramref name="queue"/>.</summary>
    public static Task WaitUntilDrainedAsync(this InfrastructureFixture infrastructure, string connectionString, string queue) =>
        Eventually.TrueAsync(async () => await infrastructure.MessagesAsync(connectionString, queue) == 0, $"queue {queue} to drain");

    /// <summary>
    /// Waits until a service consumes from its queue. Services start their bus in the background, and an
    /// event published before the queue is bound to its exchange reaches no one.
    /// </summary>
    public static Task WaitForConsumerAsync(this InfrastructureFixture infrastructure, string connectionString, string queue) =>
        Eventually.TrueAsync(async () => await QueueInfoAsync(infrastructure, connectionString, queue, "consumers") > 0,
            $"a consumer on {queue}");

    /// <summary>Empties <paramref name="queue"/>: its messages are lost, as if parked in an error queue nobody replays.</summary>
    public static Task PurgeAsync(this InfrastructureFixture infrastructure, string connectionString, string queue) =>
        infrastructure.RabbitMq.CtlAsync(TestContext.Current.CancellationToken,
            "purge_queue", "-p", RabbitMqConnection.Parse(connectionString).VirtualHost, queue);

    private static async Task<int?> QueueInfoAsync(InfrastructureFixture infrastructure, string connectionString, string queue,
        string column)
    {
        var virtualHost = RabbitMqConnection.Parse(connectionString).VirtualHost;
        var listing =
            await infrastructure.RabbitMq.CtlAsync(TestContext.Current.CancellationToken, "list_queues", "-p", virtualHost, "name", column);
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(columns => columns.Length == 2 && columns[0] == queue && int.TryParse(columns[1], out _))
            .Select(columns => (int?)int.Parse(columns[1], System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
    }
}
