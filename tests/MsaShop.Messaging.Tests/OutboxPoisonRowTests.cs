using System.Diagnostics.Metrics;
using MsaShop.Messaging.Tests.Infrastructure;
using MsaShop.Testing;

namespace MsaShop.Messaging.Tests;

public sealed class OutboxPoisonRowTests(InfrastructureFixture fixture)
{
    [Fact]
    public async Task
        Row_that_can_never_be_published_is_set_aside_after_its_attempts_with_its_error_and_a_metric_and_the_rows_after_it_go_out()
    {
        var setAside = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, meterListener) =>
            {
                if (instrument.Meter.Name == MessagingTelemetry.MeterName && instrument.Name == "msashop.outbox.set_aside")
                {
                    meterListener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Value is string type && type.Contains(nameof(UnpublishableEvent), StringComparison.Ordinal))
                {
                    lock (setAside)
                    {
                        setAside.Add(type);
                    }
                }
            }
        });
        listener.Start();
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "outbox_poison");
        await using var service = await MessagingTestHost.StartReadyAsync(environment, new Dictionary<string, string?>
        {
            ["Messaging:OutboxMaxAttempts"] = "3", ["Messaging:OutboxSweepAfter"] = "00:00:00",
        });
        // Written straight to the table: enqueueing would fail the same way the publish does.
        await service.ExecuteAsync(
            "INSERT INTO outbox (message_id, message_type, payload) VALUES (gen_random_uuid(), @type, '{\"producer\": \"poison\"}')",
            new { type = $"{typeof(UnpublishableEvent).FullName}, {typeof(UnpublishableEvent).Assembly.GetName().Name}" });

        // Left to the dispatcher, whose sweeps meet the poison row first.
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            await service.EnqueueForTheDispatcherAsync(new SampleEvent("after-poison", sequence));
        }

        var delivered = await Eventually.ReturnsAsync(
            () => service.QueryAsync<int>("SELECT sequence FROM effects WHERE producer = 'after-poison' ORDER BY sequence"),
            rows => rows.Count == 3, "the rows after the poison row");
        Assert.Equal([1, 2, 3], delivered);
        var poison = await Eventually.ReturnsAsync(
            () => service.QueryAsync<(DateTime? FailedAt, DateTime? SentAt, int Attempts, string Error)>(
                "SELECT failed_at, sent_at, attempts, error FROM outbox WHERE payload->>'producer' = 'poison'"),
            rows => rows[0].FailedAt is not null, "the poison row set aside");
        Assert.NotNull(poison[0].FailedAt);
        Assert.Null(poison[0].SentAt);
        Assert.Equal(3, poison[0].Attempts);
        Assert.Contains("this event can never be serialized", poison[0].Error, StringComparison.Ordinal);
        lock (setAside)
        {
            Assert.Single(setAside);
        }
    }
}
