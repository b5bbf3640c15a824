using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using MsaShop.Contracts;
using MsaShop.EndToEnd.Tests.Infrastructure;
using MsaShop.EndToEnd.Tests.Telemetry;

namespace MsaShop.EndToEnd.Tests;

/// <summary>
/// One order, one trace: the spans every process exported (OTLP, to the test's receiver) share the
/// trace id the client started, across HTTP (gateway → ordering → catalog) and RabbitMQ (→ payment → ordering).
/// </summary>
public sealed class DistributedTracingTests(ShopFixture fixture)
{
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task One_trace_spans_gateway_ordering_catalog_and_payment()
    {
        var product = await fixture.Api.CreateProductAsync(price: 5m);
        var token = Shoppers.CustomerToken(Shoppers.NewCustomer());
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var clientSpanId = ActivitySpanId.CreateRandom().ToHexString();

        // The client starts the trace (W3C traceparent, sampled); every hop after it must continue it.
        using var response = await fixture.Api.SendAsync(HttpMethod.Post, "/api/orders", token,
            new PlaceOrderRequest([new(product.Id, 1)], "tok_visa"),
            headers => headers.Add("traceparent", $"00-{traceId}-{clientSpanId}-01"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var placed = await response.Content.ReadFromJsonAsync<PlaceOrderResponse>(TestContext.Current.CancellationToken);
        Assert.Equal("Completed", (await fixture.Api.WaitForOutcomeAsync(token, placed!.OrderId)).Status);

        var trace = await WaitForTraceAsync(traceId, spans =>
            HasHttpHop(spans, from: "gateway", to: "ordering")
            && HasHttpHop(spans, from: "ordering", to: "catalog")
            && spans.Any(s => s.Service == "payment" && s.Kind == SpanKind.Consumer)
            && spans.Any(s => s.Service == "ordering" && s.Kind == SpanKind.Consumer));

        // The gateway's server span is the child of the client's span: the trace really starts at the client.
        Assert.Contains(trace, s => s.Service == "gateway" && s.Kind == SpanKind.Server && s.ParentSpanId == clientSpanId);
    }

    /// <summary>
    /// A server span in <paramref name="to"/> whose parent is a client span in <paramref name="from"/>: traceparent crossed that hop.
    /// </summary>
    private static bool HasHttpHop(IReadOnlyList<ExportedSpan> spans, string from, string to) =>
        spans.Any(server => server.Service == to && server.Kind == SpanKind.Server
            && spans.Any(client => client.Service == from && client.Kind == SpanKind.Client && client.SpanId == server.ParentSpanId));

    /// <summary>Spans arrive in batches from six processes: poll the receiver, bounded.</summary>
    private async Task<IReadOnlyList<ExportedSpan>> WaitForTraceAsync(string traceId, Func<IReadOnlyList<ExportedSpan>, bool> complete)
    {
        var watch = Stopwatch.StartNew();
        IReadOnlyList<ExportedSpan> spans;
        while (!complete(spans = fixture.Traces.Trace(traceId)))
        {
            if (watch.Elapsed > ExportTimeout)
            {
                Assert.Fail($"trace {traceId} is incomplete after {ExportTimeout}; services seen: "
                    + $"{string.Join(", ", spans.Select(s => s.Service).Distinct().Order())}{Environment.NewLine}"
                    + string.Join(Environment.NewLine, spans));
            }
            await Task.Delay(200);
        }
        return spans;
    }
}
