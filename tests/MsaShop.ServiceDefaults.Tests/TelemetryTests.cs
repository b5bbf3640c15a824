using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MsaShop.ServiceDefaults.Tests;

public sealed class TelemetryTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Server_span_is_named_after_the_route_and_carries_route_and_status()
    {
        using var spans = new ServerSpanCollector();
        await using var app = await TestApp.StartAsync(web =>
            web.MapGet("/things/{id}", (int id) => TypedResults.Ok(new { id })));

        using var response = await app.CreateClient().GetAsync("/things/42", Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = await spans.WaitForAsync(app.Address, "/things/42");
        Assert.Equal("GET /things/{id}", span.DisplayName);
        Assert.Equal("/things/{id}", span.GetTagItem("http.route"));
        Assert.Equal("200", span.GetTagItem("http.response.status_code")?.ToString());
    }

    [Fact]
    public async Task Server_span_of_a_failing_request_keeps_its_route_and_records_the_500()
    {
        using var spans = new ServerSpanCollector();
        await using var app = await TestApp.StartAsync(web =>
            web.MapGet("/things/{id}/explode", (int id) => id > 0 ? throw new InvalidOperationException("boom") : Results.Ok()),
            environment: "Production",
            configuration: new Dictionary<string, string?> { ["Identity:SigningKey"] = SigningKeys.NewRandom() });

        using var response = await app.CreateClient().GetAsync("/things/7/explode", Cancellation);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var span = await spans.WaitForAsync(app.Address, "/things/7/explode");
        Assert.Equal("GET /things/{id}/explode", span.DisplayName);
        Assert.Equal("500", span.GetTagItem("http.response.status_code")?.ToString());
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task Trace_context_crosses_an_HttpClient_call_from_one_service_to_another()
    {
        using var spans = new ServerSpanCollector();
        await using var backend = await TestApp.StartAsync(web => web.MapGet("/backend/ping", () => "pong"));
        await using var frontend = await TestApp.StartAsync(
            web => web.MapGet("/frontend/ping", async (IHttpClientFactory clients) =>
                await clients.CreateClient("backend").GetStringAsync("/backend/ping")),
            configuration: new Dictionary<string, string?> { ["services:backend:http:0"] = backend.Address.ToString() },
            configureBuilder: builder =>
                builder.Services.AddHttpClient("backend", client => client.BaseAddress = new Uri("http://backend")));

        Assert.Equal("pong", await frontend.CreateClient().GetStringAsync("/frontend/ping", Cancellation));

        var frontendSpan = await spans.WaitForAsync(frontend.Address, "/frontend/ping");
        var backendSpan = await spans.WaitForAsync(backend.Address, "/backend/ping");
        Assert.Equal(frontendSpan.TraceId, backendSpan.TraceId);
        Assert.NotEqual(frontendSpan.SpanId, backendSpan.ParentSpanId);
        Assert.NotEqual(default, backendSpan.ParentSpanId);
    }

    [Fact]
    public async Task Spans_logs_and_metrics_are_exported_over_OTLP_with_the_configured_OTEL_settings()
    {
        var exports = new ConcurrentQueue<OtlpExport>();
        await using var collector = await TestApp.StartAsync(
            web => web.MapPost("/v1/{signal}", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                exports.Enqueue(
                    new OtlpExport(request.Path, request.Headers["x-collector-key"].ToString(), Encoding.UTF8.GetString(body.ToArray())));
                return Results.Ok();
            }),
            withServiceDefaults: false);
        var serviceName = $"otlp-test-{Guid.NewGuid():N}";
        await using var app = await TestApp.StartAsync(
            web => web.MapGet("/things/{id}", (int id, ILogger<TelemetryTests> logger) =>
            {
                logger.LogWarning("Thing {ThingId} was looked at", id);
                return TypedResults.Ok(new { id });
            }),
            configuration: new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-collector-key=secret-42",
                ["OTEL_SERVICE_NAME"] = serviceName,
                ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=replica-7",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            });

        using var probe = await app.CreateClient().GetAsync("/alive", Cancellation);
        using var response = await app.CreateClient().GetAsync("/things/1", Cancellation);

        // OTLP protobuf keeps strings as UTF-8, so names and attributes are readable in the body.
        var trace = await Eventually.FoundAsync(() => exports.FirstOrDefault(export =>
            export.Path == "/v1/traces" && export.Body.Contains("GET /things/{id}", StringComparison.Ordinal)), "an OTLP trace export");
        var log = await Eventually.FoundAsync(() => exports.FirstOrDefault(export =>
            export.Path == "/v1/logs" && export.Body.Contains("was looked at", StringComparison.Ordinal)), "an OTLP log export");
        var metrics = await Eventually.FoundAsync(() => exports.FirstOrDefault(export =>
            export.Path == "/v1/metrics" && export.Body.Contains("http.server.request.duration", StringComparison.Ordinal)),
                "an OTLP metrics export");
        foreach (var export in new[] { trace, log, metrics })
        {
            Assert.Contains(serviceName, export.Body, StringComparison.Ordinal);
            Assert.Contains("replica-7", export.Body, StringComparison.Ordinal);
            Assert.Equal("secret-42", export.CollectorKey);
        }
        Assert.DoesNotContain(exports, export => export.Body.Contains("GET /alive", StringComparison.Ordinal));
    }

    private sealed record OtlpExport(string Path, string CollectorKey, string Body);

    [Fact]
    public async Task Health_probes_are_not_recorded()
    {
        using var spans = new ServerSpanCollector();
        await using var app = await TestApp.StartAsync(_ => { });

        // A probe that arrives in a sampled trace: only the trace id finds its span, which carries no tags. The
        // client must not put a traceparent of its own in place of the test's.
        var traceId = ActivityTraceId.CreateRandom();
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = app.Address };
        using var probe = new HttpRequestMessage(HttpMethod.Get, "/alive");
        probe.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await client.SendAsync(probe, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await spans.WaitForTraceAsync(traceId)).Recorded);
    }
}

/// <summary>Collects the ASP.NET Core server spans that end in this process.</summary>
internal sealed class ServerSpanCollector : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public ServerSpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public Task<Activity> WaitForAsync(Uri server, string path) =>
        Eventually.FoundAsync(() => _spans.FirstOrDefault(span =>
            span.GetTagItem("url.path") as string == path
            && span.GetTagItem("server.port")?.ToString() == server.Port.ToString(CultureInfo.InvariantCulture)), $"a span for {path}");

    public Task<Activity> WaitForTraceAsync(ActivityTraceId traceId) =>
        Eventually.FoundAsync(() => _spans.FirstOrDefault(span => span.TraceId == traceId), $"a span in trace {traceId}");

    public void Dispose() => _listener.Dispose();
}
