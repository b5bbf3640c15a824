using System.Diagnostics;
using MsaShop.Messaging.Tests.Infrastructure;
using MsaShop.Testing;

namespace MsaShop.Messaging.Tests;

public sealed class TracePropagationTests(InfrastructureFixture fixture)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Consumer_runs_in_the_trace_that_was_current_when_the_event_was_enqueued(bool listenToMessagingSource)
    {
        using var requests = new ActivitySource("MsaShop.Messaging.Tests.Requests");
        using var listener = new ActivityListener
        {
            // Telemetry may listen to MassTransit without MsaShop.Messaging: the trace must still carry through.
            ShouldListenTo = source => source.Name == requests.Name || source.Name == "MassTransit"
                || (listenToMessagingSource && source.Name == MessagingTelemetry.ActivitySourceName),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "trace");
        await using var service = await MessagingTestHost.StartReadyAsync(environment);

        string requestTraceId;
        using (var request = requests.StartActivity("POST /api/orders"))
        {
            Assert.NotNull(request);
            requestTraceId = request.TraceId.ToHexString();
            await service.EnqueueAsync(new SampleEvent("traced", 1));
        }

        var consumerTraceIds = await Eventually.ReturnsAsync(
            () => service.QueryAsync<string?>("SELECT trace_id FROM effects"), rows => rows.Count == 1, "the traced event's effect");
        Assert.Equal(requestTraceId, consumerTraceIds[0]);
    }
}
