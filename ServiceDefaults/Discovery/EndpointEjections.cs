using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;

namespace MsaShop.ServiceDefaults.Discovery;

/// <summary>
/// Passive health for the instances service discovery returns (outlier ejection): round robin over a service's
/// instances, stepping around one that just refused a connection or timed out, for
/// <see cref="EndpointEjectionOptions.EjectFor"/>. When every instance is ejected, round robin over all of them: a
/// service-wide outage is the circuit breaker's to judge, not this.
/// </summary>
public sealed class EndpointEjections(TimeProvider clock, IOptions<EndpointEjectionOptions> options)
{
    private readonly ConcurrentDictionary<string, long> _ejectedUntil = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<int>> _nextIndex = new(StringComparer.Ordinal);

    /// <summary>The next instance of <paramref name="service"/> in rotation.</summary>
    public ServiceEndpoint Select(string service, IReadOnlyList<ServiceEndpoint> endpoints)
    {
        ArgumentOutOfRangeException.ThrowIfZero(endpoints.Count);
        var start = (uint)Interlocked.Increment(ref _nextIndex.GetOrAdd(service, _ => new StrongBox<int>(-1)).Value);
        var now = clock.GetTimestamp();
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[(int)((start + (uint)i) % (uint)endpoints.Count)];
            if (!_ejectedUntil.TryGetValue(Key(endpoint), out var until) || until <= now)
            {
                return endpoint;
            }
        }
        return endpoints[(int)(start % (uint)endpoints.Count)];
    }

    /// <summary>Takes the instance out of rotation for <see cref="EndpointEjectionOptions.EjectFor"/>.</summary>
    public void Eject(ServiceEndpoint endpoint) =>
        _ejectedUntil[Key(endpoint)] = clock.GetTimestamp() + (long)(options.Value.EjectFor.TotalSeconds * clock.TimestampFrequency);

    /// <summary>The instance answered: back in rotation.</summary>
    public void Restore(ServiceEndpoint endpoint) => _ejectedUntil.TryRemove(Key(endpoint), out _);

    public bool IsEjected(ServiceEndpoint endpoint) =>
        _ejectedUntil.TryGetValue(Key(endpoint), out var until) && until > clock.GetTimestamp();

    private static string Key(ServiceEndpoint endpoint) => endpoint.EndPoint.ToString() ?? "";
}
