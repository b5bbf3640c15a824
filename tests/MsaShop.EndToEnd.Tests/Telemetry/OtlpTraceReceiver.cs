using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MsaShop.EndToEnd.Tests.Telemetry;

/// <summary>
/// A minimal OTLP/HTTP collector on a loopback port: every process of the shop exports here
/// (OTEL_EXPORTER_OTLP_ENDPOINT, protocol http/protobuf); traces are kept, metrics and logs acknowledged.
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ExportedSpan> _spans = new();

    private OtlpTraceReceiver(WebApplication app) => _app = app;

    public Uri Endpoint => new(_app.Urls.Single());

    public IReadOnlyList<ExportedSpan> Spans => _spans.ToArray();

    public static async Task<OtlpTraceReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = new OtlpTraceReceiver(builder.Build());
        receiver._app.MapPost("/v1/traces", receiver.ReceiveTracesAsync);
        receiver._app.MapPost("/v1/{signal}", () => Results.Ok());
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>Every span exported so far with this trace id.</summary>
    public IReadOnlyList<ExportedSpan> Trace(string traceId) => _spans.Where(s => s.TraceId == traceId).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> ReceiveTracesAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        foreach (var span in OtlpTraceDecoder.Decode(body.ToArray()))
        {
            _spans.Enqueue(span);
        }
        // An empty ExportTraceServiceResponse: full success.
        return Results.Bytes([], "application/x-protobuf");
    }
}
