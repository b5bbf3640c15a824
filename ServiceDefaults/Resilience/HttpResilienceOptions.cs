namespace MsaShop.ServiceDefaults.Resilience;

/// <summary>
/// Settings of the standard pipeline on every HttpClient, bound from <c>Resilience</c>; a client
/// named N takes its overrides from <c>Resilience:Clients:N</c> (or <c>services.Configure&lt;HttpResilienceOptions&gt;(N, ...)</c>).
/// </summary>
public sealed class HttpResilienceOptions
{
    public const string SectionName = "Resilience";

    /// <summary>Budget for the whole call, every retry and back-off included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Budget for one attempt; an attempt that runs out is retried like a transient failure.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt, for idempotent methods only.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base of the jittered exponential back-off between attempts.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public CircuitBreakerSettings CircuitBreaker { get; set; } = new();

    public sealed class CircuitBreakerSettings
    {
        /// <summary>Share of failed calls within <see cref="SamplingDuration"/> that opens the circuit.</summary>
        public double FailureRatio { get; set; } = 0.5;

        public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Calls needed within <see cref="SamplingDuration"/> before the ratio counts.</summary>
        public int MinimumThroughput { get; set; } = 10;

        /// <summary>How long the circuit stays open before one trial call is let through (half-open).</summary>
        public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
    }
}
