using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MsaShop.Testing;

/// <summary>
/// Records the events (OnRetry, OnCircuitOpened, ...) that Polly counts on its "Polly" meter, of one pipeline
/// (e.g. "breaker-test-standard") or one pipeline instance (the shared handler's instance per authority, "http://backend").
/// </summary>
public sealed class ResilienceEventRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _names = new();

    public ResilienceEventRecorder(string? pipeline = null, string? instance = null)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Polly" && instrument.Name == "resilience.polly.strategy.events")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            var all = tags.ToArray();
            string? Tag(string name) => all.FirstOrDefault(tag => tag.Key == name).Value as string;
            if ((pipeline is null || Tag("pipeline.name") == pipeline) && (instance is null || Tag("pipeline.instance") == instance)
                && Tag("event.name") is { } eventName)
            {
                _names.Enqueue(eventName);
            }
        });
        _listener.Start();
    }

    public IReadOnlyList<string> Names => [.. _names];

    public void Dispose() => _listener.Dispose();
}
