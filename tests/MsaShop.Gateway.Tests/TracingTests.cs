using System.Net;
using System.Net.Http.Json;
using MsaShop.Gateway.Tests.Infrastructure;

namespace MsaShop.Gateway.Tests;

public sealed class TracingTests
{
    [Fact]
    public async Task Downstream_call_continues_the_callers_trace_through_a_gateway_span()
    {
        await using var bed = await GatewayTestBed.StartAsync();
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        const string callerSpanId = "00f067aa0ba902b7";

        // The caller is another process: its client sends the traceparent as given (this process's HttpClient
        // instrumentation would put its own in place).
        using var caller =
            new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = bed.Client.BaseAddress };
        using var request = GatewayTestBed.Request(HttpMethod.Get, "/api/catalog/items");
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");
        using var response = await caller.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await response.Content.ReadFromJsonAsync<Echo>(TestContext.Current.CancellationToken);
        var parts = echo!.Headers["traceparent"].Split('-');
        Assert.Equal(traceId, parts[1]);
        // The parent is a span of the gateway's, not the caller's span passed through untouched.
        Assert.NotEqual(callerSpanId, parts[2]);
    }

    [Fact]
    public async Task Downstream_call_carries_a_trace_the_gateway_started()
    {
        await using var bed = await GatewayTestBed.StartAsync();

        var (_, first) = await bed.GetAsync("/api/catalog/items");
        var (_, second) = await bed.GetAsync("/api/catalog/items");

        var firstTrace = first!.Headers["traceparent"].Split('-')[1];
        var secondTrace = second!.Headers["traceparent"].Split('-')[1];
        Assert.Matches("^[0-9a-f]{32}$", firstTrace);
        Assert.NotEqual(firstTrace, secondTrace);
    }
}
