using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MsaShop.ServiceDefaults.Resilience;
using Polly.CircuitBreaker;

namespace MsaShop.ServiceDefaults.Tests;

public sealed class ResilienceTests : IAsyncLifetime
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private readonly ConcurrentDictionary<string, int> _hits = new();
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

    private IHost ClientHost(Dictionary<string, string?>? settings = null) => ClientHost(logs: null, settings);

    private IHost ClientHost(CollectingLoggerProvider? logs, Dictionary<string, string?>? settings)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["services:backend:http:0"] = _server.Address.ToString(),
            ["Resilience:RetryDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings ?? [])
        {
            defaults[key] = value;
        }
        return TestClientHost.Create(defaults, logs);
    }

    private static HttpClient Client(IHost host, string name = "backend")
    {
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(name);
        client.BaseAddress = new Uri("http://backend");
        return client;
    }

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
        var logs = new CollectingLoggerProvider();
        using var host = ClientHost(logs, new()
        {
            // Instance 0 refuses connections; round robin sends the retry to instance 1.
            ["services:backend:http:0"] = $"http://127.0.0.1:{ClosedPort()}",
            ["services:backend:http:1"] = _server.Address.ToString(),
        });
        var key = NewKey();

        using var response = await Client(host).GetAsync($"/flaky/{key}/0", Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, HitsOf(key));
        Assert.Contains(logs.Messages, message => message.Contains("failed (HttpRequestException); retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_dead_instance_that_retries_step_around_never_opens_the_circuit()
    {
        const string clientName = "one-dead-instance";
        using var transitions = new CircuitTransitionRecorder(clientName);
        using var host = ClientHost(new()
        {
            ["services:backend:http:0"] = $"http://127.0.0.1:{ClosedPort()}",
            ["services:backend:http:1"] = _server.Address.ToString(),
            // A breaker that would trip after two failed attempts, were it counting attempts.
            [$"Resilience:Clients:{clientName}:CircuitBreaker:MinimumThroughput"] = "2",
        });
        var client = Client(host, clientName);

        for (var call = 0; call < 20; call++)
        {
            using var response = await client.GetAsync($"/flaky/{NewKey()}/0", Cancellation);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Empty(transitions.States);
    }

    [Fact]
    public async Task The_attempt_timeout_abandons_a_slow_attempt_and_the_retry_succeeds()
    {
        using var host = ClientHost(new() { ["Resilience:AttemptTimeout"] = "00:00:01" });
        var key = NewKey();

        using var response = await Client(host).GetAsync($"/slow-once/{key}", Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(HitsOf(key) >= 2, $"expected a retry after the slow attempt, saw {HitsOf(key)} calls");
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_then_half_opens_and_closes()
    {
        const string clientName = "breaker-test";
        using var transitions = new CircuitTransitionRecorder(clientName);
        var logs = new CollectingLoggerProvider();
        using var host = ClientHost(logs, new()
        {
            // Per-client overrides: no retries, a breaker that trips quickly and recovers after 1 s.
            [$"Resilience:Clients:{clientName}:MaxRetryAttempts"] = "0",
            [$"Resilience:Clients:{clientName}:CircuitBreaker:MinimumThroughput"] = "2",
            [$"Resilience:Clients:{clientName}:CircuitBreaker:BreakDuration"] = "00:00:01",
        });
        var client = Client(host, clientName);
        var key = NewKey();
        _failing = true;

        // Failures until the breaker refuses a call, which then never reaches the server.
        var hitsBeforeRefusal = 0;
        await Eventually.TrueAsync(async () =>
        {
            hitsBeforeRefusal = HitsOf(key);
            return await CallFails(client, key) is BrokenCircuitException;
        }, "the circuit opened");
        Assert.Equal(hitsBeforeRefusal, HitsOf(key));

        // Once the break is over, a trial call goes through; its success closes the circuit.
        _failing = false;
        await Eventually.TrueAsync(async () => await CallFails(client, key) is null, "a trial call succeeded");
        Assert.Equal(["opened", "half_opened", "closed"], transitions.States);
        Assert.Contains(logs.Messages, message => message.Contains($"{clientName}: circuit opened", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, message => message.Contains($"{clientName}: circuit closed", StringComparison.Ordinal));
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

    /// <summary>Records the circuit breaker transitions of one client from the "MsaShop.Resilience" meter.</summary>
    private sealed class CircuitTransitionRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<string> _states = new();

        public CircuitTransitionRecorder(string clientName)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ResilienceTelemetry.MeterName && instrument.Name == ResilienceTelemetry.CircuitBreakerStateChanges)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                var client = tags.ToArray().FirstOrDefault(tag => tag.Key == "http.client.name").Value as string;
                var state = tags.ToArray().FirstOrDefault(tag => tag.Key == "state").Value as string;
                if (client == clientName && state is not null)
                {
                    _states.Enqueue(state);
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<string> States => [.. _states];

        public void Dispose() => _listener.Dispose();
    }
}
