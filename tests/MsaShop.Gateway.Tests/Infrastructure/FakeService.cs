using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MsaShop.Gateway.Tests.Infrastructure;

/// <summary>What a fake service saw and who answered; every fake answers every path with one of these.</summary>
public sealed record Echo(string Instance, string Method, string PathAndQuery, Dictionary<string, string> Headers, string Body);

/// <summary>
/// A stand-in for one instance of catalog or ordering on a real Kestrel port: it names itself, echoes
/// the request it received, reports its version like the real catalog does, and can fail its health check.
/// </summary>
public sealed class FakeService : IAsyncDisposable
{
    public const string VersionHeader = "X-Catalog-Version";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Echo> _received = new();
    private bool _stopped;
    private int _dropsPending;

    private FakeService(string instance, string version, WebApplication app)
    {
        Instance = instance;
        Version = version;
        _app = app;
    }

    public string Instance { get; }

    public string Version { get; }

    public Uri Address { get; private set; } = null!;

    /// <summary>What GET /health answers: 200 when true, 503 when false.</summary>
    public bool Healthy { get; set; } = true;

    public IReadOnlyCollection<Echo> Received => _received;

    public static async Task<FakeService> StartAsync(string instance, string version = "stable")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

        var app = builder.Build();
        var service = new FakeService(instance, version, app);
        app.MapGet("/health", () => service.Healthy ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        app.Map("/{**path}", (Func<HttpContext, Task<IResult>>)service.EchoAsync);

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        service.Address = new Uri(address);
        return service;
    }

    /// <summary>
    /// The next <paramref name="count"/> requests (other than GET /health) are answered by closing the connection
    /// without a response: a blip, as when a replica restarts or a keep-alive connection is cut.
    /// </summary>
    public void DropNextRequests(int count) => Interlocked.Add(ref _dropsPending, count);

    /// <summary>Stops listening: new connections to <see cref="Address"/> are refused.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> EchoAsync(HttpContext context)
    {
        if (TakeDrop())
        {
            context.Abort();
            return Results.Empty;
        }

        using var reader = new StreamReader(context.Request.Body);
        var echo = new Echo(
            Instance,
            context.Request.Method,
            $"{context.Request.Path}{context.Request.QueryString}",
            context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            await reader.ReadToEndAsync(context.RequestAborted));
        _received.Enqueue(echo);
        context.Response.Headers[VersionHeader] = Version;
        return Results.Json(echo);
    }

    private bool TakeDrop()
    {
        var pending = Volatile.Read(ref _dropsPending);
        while (pending > 0)
        {
            var seen = Interlocked.CompareExchange(ref _dropsPending, pending - 1, pending);
            if (seen == pending)
            {
                return true;
            }

            pending = seen;
        }

        return false;
    }
}
