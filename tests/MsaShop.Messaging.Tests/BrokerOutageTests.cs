using Microsoft.Extensions.Diagnostics.HealthChecks;
using MsaShop.Messaging.Tests.Infrastructure;
using MsaShop.Testing;

namespace MsaShop.Messaging.Tests;

/// <summary>Tests that stop the assembly's one RabbitMQ node run in this collection: alone, after the parallel ones.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class RunsAlone;

[Collection(typeof(RunsAlone))]
public sealed class BrokerOutageTests(InfrastructureFixture fixture)
{
    [Fact]
    public async Task Events_enqueued_while_the_broker_is_down_are_each_delivered_once_when_it_returns()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "outage");
        // The endpoint's queue and bindings exist from an earlier run, as they do in production.
        await (await MessagingTestHost.StartReadyAsync(environment)).DisposeAsync();

        await fixture.RabbitMq.StopAsync();
        var brokerDown = true;
        try
        {
            // Start-up does not wait for the broker, and the outbox accepts writes meanwhile.
            await using var service = await MessagingTestHost.StartAsync(environment, cancellationToken: cancellationToken);
            const int count = 10;
            for (var sequence = 1; sequence <= count; sequence++)
            {
                await service.EnqueueAsync(new SampleEvent("outage", sequence));
            }

            await Eventually.ReturnsAsync(service.BusHealthAsync, status => status == HealthStatus.Degraded, "the bus to report Degraded");
            Assert.Equal(count, await service.CountAsync("SELECT count(*) FROM outbox WHERE sent_at IS NULL"));

            await fixture.RabbitMq.StartAsync(cancellationToken);
            brokerDown = false;

            // Every event, each once; not necessarily in order (a batch's publishes are in flight together).
            var delivered = await Eventually.ReturnsAsync(
                () => service.QueryAsync<int>("SELECT sequence FROM effects WHERE producer = 'outage' ORDER BY sequence"),
                rows => rows.Count >= count, $"{count} effects");
            Assert.Equal(Enumerable.Range(1, count), delivered);
            Assert.Equal(count, await service.CountAsync("SELECT count(DISTINCT message_id) FROM effects"));
            await Eventually.ReturnsAsync(
                () => service.CountAsync("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), pending => pending == 0,
                "every row marked sent");
        }
        finally
        {
            if (brokerDown)
            {
                await fixture.RabbitMq.StartAsync(CancellationToken.None);
            }
        }
    }
}
