using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Polly.CircuitBreaker;

namespace MsaShop.ServiceDefaults.Tests;

/// <summary>
/// The standard resilience handler every HttpClient gets from <c>AddServiceDefaults</c>, and one a client replaces
/// it with, against a real Kestrel server. Each test names its own service, so Polly's events are its own.
/// </summary>
public sealed class ResilienceTests : IAsyncLifetime
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly string _service = $"backend-{Guid.NewGuid():N}";
    private TestApp _server = null!;

    /// <summary>Whether /switchable answers 500 (true) or 200.</summary>
    private volatile bool _failing = true;

    public async ValueTask InitializeAsync() =>
        _server = await TestApp.StartAsync(web =>
        {
            // Fails the first {failures} calls of one key, then succeeds.
            web.MapMethods("/flaky/{key}/{failures:int}", ["GET", "POST"], (string key, int failures) =>
                Hit(key) <= failures ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Ok(key));
            web.MapGet("/switchable/{key}", (string key) =>
            {
                Hit(key);
                return _failing ? Results.StatusCode(StatusCodes.Status500InternalServerError) : Results.Ok(key);
            });
            // The first call of a key hangs until the caller gives up; later calls answer at once.
            web.MapGet("/slow-once/{key}", async (string key, HttpContext context) =>
            {
                if (Hit(key) == 1)
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                return Results.Ok(key);
            });
        });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private int Hit(string key) => _hits.AddOrUpdate(key, 1, (_, count) => count + 1);

    private int HitsOf(string key) => _hits.GetValueOrDefault(key);

    private static string NewKey() => Guid.NewGuid().ToString("N");

    private IHost ClientHost(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var configuration = new Dictionary<string, string?> { [$"services:{_service}:http:0"] = _server.Address.ToString() };
        foreach (var (key, value) in settings ?? [])
        {
            configuration[key] = value;
        }
        return TestClientHost.Create(configuration, services: services);
    }

    private HttpClient Client(IHost host, string name = "")
    {
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(name);
        client.BaseAddress = new Uri($"http://{_service}");
        return client;
    }

    /// <summary>A client named <paramref name="name"/> with a standard handler of its own, quick to retry.</summary>
    private static Action<IServiceCollection> OwnHandler(string name, Action<HttpStandardResilienceOptions> configure) =>
        services => services.AddHttpClient(name).ReplaceStandardResilienceHandler().Configure(options =>
        {
            options.Retry.Delay = TimeSpan.FromMilliseconds(10);
            configure(options);
        });

    [Fact]
    public async Task A_GET_to_a_flaky_endpoint_is_retried_and_succeeds()
    {
        using var host = ClientHost();
        var key = NewKey();

        using var response = await Client(host).GetAsync($"/flaky/{key}/2", Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, HitsOf(key));
    }

    [Fact]
    public async Task A_POST_is_not_retried()
    {
        using var host = ClientHost();
        var key = NewKey();

        using var response = await Client(host).PostAsync($"/flaky/{key}/2", content: null, Cancellation);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, HitsOf(key));
    }

    [Fact]
    public async Task A_retry_goes_to_another_instance_when_one_is_down()
    {
        using var events = new ResilienceEventRecorder(instance: $"http://{_service}");
        using var host = ClientHost(new()
        {
            // Instance 0 refuses connections; the retry resolves again and round robin gives it instance 1.
            [$"services:{_service}:http:0"] = $"http://127.0.0.1:{ClosedPort()}",
            [$"services:{_service}:http:1"] = _server.Address.ToString(),
        });
        var client = Client(host);

        // Whichever instance the rotation starts at, two calls put one first attempt on the dead instance.
        foreach (var key in new[] { NewKey(), NewKey() })
        {
            using var response = await client.GetAsync($"/flaky/{key}/0", Cancellation);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, HitsOf(key));
        }
        Assert.Contains("OnRetry", events.Names);
    }

    [Fact]
    public async Task The_attempt_timeout_abandons_a_slow_attempt_and_the_retry_succeeds()
    {
        const string clientName = "slow-attempt";
        using var host = ClientHost(services: OwnHandler(clientName, options => options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(1)));
        var key = NewKey();

        using var response = await Client(host, clientName).GetAsync($"/slow-once/{key}", Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, HitsOf(key));
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_then_half_opens_and_closes()
    {
        const string clientName = "breaker-test";
        using var events = new ResilienceEventRecorder(pipeline: $"{clientName}-standard");
        using var host = ClientHost(services: OwnHandler(clientName, options =>
        {
            // A breaker that trips after two failed attempts and lets a trial call through after 1 s.
            options.CircuitBreaker.MinimumThroughput = 2;
            options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(1);
        }));
        var client = Client(host, clientName);
        var key = NewKey();
        _failing = true;

        await Eventually.TrueAsync(async () => await CallFails(client, key) is BrokenCircuitException, "the circuit opened");

        // While it is open, a call is refused without reaching the server.
        var hitsWhileOpen = HitsOf(key);
        Assert.IsType<BrokenCircuitException>(await CallFails(client, key));
        Assert.Equal(hitsWhileOpen, HitsOf(key));

        // Once the break is over, a trial call goes through; its success closes the circuit.
        _failing = false;
        await Eventually.TrueAsync(async () => await CallFails(client, key) is null, "a trial call succeeded");
        Assert.Equal(["OnCircuitOpened", "OnCircuitHalfOpened", "OnCircuitClosed"],
            events.Names.Where(name => name.StartsWith("OnCircuit", StringComparison.Ordinal)));
    }

    /// <summary>Null when the call answered 200, else the exception or a description of the failure.</summary>
    private static async Task<object?> CallFails(HttpClient client, string key)
    {
        try
        {
            using var response = await client.GetAsync($"/switchable/{key}", Cancellation);
            return response.IsSuccessStatusCode ? null : response.StatusCode;
        }
        catch (BrokenCircuitException broken)
        {
            return broken;
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
