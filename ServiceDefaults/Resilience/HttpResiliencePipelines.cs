using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace MsaShop.ServiceDefaults.Resilience;

/// <summary>
/// The standard pipeline, one per HttpClient name (so each client keeps its own circuit):
/// total timeout → circuit breaker → retry (jittered exponential back-off, idempotent methods only) → attempt timeout.
/// The breaker sits outside the retry: it counts a call as failed only when its retries failed too, so one
/// dead replica that a retry steps around (discovery picks the next instance per attempt) never opens it.
/// </summary>
public sealed class HttpResiliencePipelines(
    IOptionsMonitor<HttpResilienceOptions> options,
    ResilienceTelemetry telemetry,
    ILogger<HttpResiliencePipelines> logger)
{
    internal static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("MsaShop.HttpRequest");

    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new();

    public ResiliencePipeline<HttpResponseMessage> For(string clientName) =>
        _pipelines.GetOrAdd(clientName, Build);

    private ResiliencePipeline<HttpResponseMessage> Build(string clientName)
    {
        var settings = options.Get(clientName);
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = clientName }
            .AddTimeout(settings.TotalTimeout);

        var breaker = settings.CircuitBreaker;
        pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = breaker.FailureRatio,
            SamplingDuration = breaker.SamplingDuration,
            MinimumThroughput = breaker.MinimumThroughput,
            BreakDuration = breaker.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(HttpTransientFailure.Is(args.Outcome)),
            OnOpened = args =>
            {
                logger.LogWarning(
                    "HTTP client {Client}: circuit opened for {BreakDuration} after {Failure}",
                    clientName, args.BreakDuration, Describe(args.Outcome));
                telemetry.CircuitStateChanged(clientName, "opened");
                return default;
            },
            OnHalfOpened = _ =>
            {
                logger.LogInformation("HTTP client {Client}: circuit half-open, letting a trial call through", clientName);
                telemetry.CircuitStateChanged(clientName, "half_opened");
                return default;
            },
            OnClosed = _ =>
            {
                logger.LogInformation("HTTP client {Client}: circuit closed", clientName);
                telemetry.CircuitStateChanged(clientName, "closed");
                return default;
            },
        });

        if (settings.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.MaxRetryAttempts,
                Delay = settings.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Context.Properties.TryGetValue(RequestKey, out var request)
                    && HttpTransientFailure.IsRetryable(request)
                    && HttpTransientFailure.Is(args.Outcome)),
                OnRetry = args =>
                {
                    logger.LogWarning(
                        "HTTP client {Client}: attempt {Attempt} failed ({Failure}); retrying in {Delay}",
                        clientName, args.AttemptNumber + 1, Describe(args.Outcome), args.RetryDelay);
                    telemetry.Retried(clientName);
                    return default;
                },
            });
        }

        return pipeline.AddTimeout(settings.AttemptTimeout).Build();
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.GetType().Name ?? $"status {(int?)outcome.Result?.StatusCode}";
}
