using System.Diagnostics.Metrics;

namespace MsaShop.ServiceDefaults.Resilience;

/// <summary>Counters on the "MsaShop.Resilience" meter: retries and circuit breaker state changes per client.</summary>
public sealed class ResilienceTelemetry
{
    public const string MeterName = "MsaShop.Resilience";
    public const string CircuitBreakerStateChanges = "msashop.resilience.circuit_breaker.state_changes";
    public const string Retries = "msashop.resilience.retries";

    private readonly Counter<long> _stateChanges;
    private readonly Counter<long> _retries;

    public ResilienceTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _stateChanges = meter.CreateCounter<long>(CircuitBreakerStateChanges, description: "Circuit breaker transitions (opened, half_opened, closed).");
        _retries = meter.CreateCounter<long>(Retries, description: "HTTP attempts retried after a transient failure.");
    }

    internal void CircuitStateChanged(string client, string state) =>
        _stateChanges.Add(1, new KeyValuePair<string, object?>("http.client.name", client), new KeyValuePair<string, object?>("state", state));

    internal void Retried(string client) =>
        _retries.Add(1, new KeyValuePair<string, object?>("http.client.name", client));
}
