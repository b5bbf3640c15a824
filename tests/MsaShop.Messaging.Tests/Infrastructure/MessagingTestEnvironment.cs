using MsaShop.Testing;

namespace MsaShop.Messaging.Tests.Infrastructure;

/// <summary>A database and a RabbitMQ virtual host of their own, so a test shares nothing with the others.</summary>
public sealed record MessagingTestEnvironment(InfrastructureFixture Fixture, string DatabaseConnectionString, string BrokerConnectionString)
{
    public string VirtualHost => RabbitMqConnection.Parse(BrokerConnectionString).VirtualHost;

    public static async Task<MessagingTestEnvironment> CreateAsync(InfrastructureFixture fixture, string prefix) =>
        new(fixture, await fixture.CreateDatabaseAsync(prefix), await fixture.CreateVirtualHostAsync(prefix));

    /// <summary>Messages in each queue of the virtual host, from rabbitmqctl.</summary>
    public async Task<IReadOnlyDictionary<string, int>> QueueDepthsAsync(CancellationToken cancellationToken)
    {
        var output =
            await Fixture.RabbitMq.CtlAsync(cancellationToken, "list_queues", "-p", VirtualHost, "name", "messages", "--no-table-headers");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 2 && int.TryParse(parts[1], out _))
            .ToDictionary(parts => parts[0], parts => int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
