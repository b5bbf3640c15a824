using Polly;

namespace MsaShop.ServiceDefaults.Discovery;

/// <summary>
/// An attempt that failed on one instance while another stays in rotation: the next attempt goes to that other one, so
/// the failure says nothing about the service as a whole. A circuit breaker, which judges the service, must not count
/// it: a dead replica refuses at once, while its live twin's answers take milliseconds, so under a burst of orders the
/// breaker counted every refusal before the first answer came back, and opened on a service that was answering.
/// </summary>
public static class SteppedAroundFailure
{
    /// <summary>Set on every attempt's resilience context by <c>StepAroundFailingInstances</c>.</summary>
    public static readonly ResiliencePropertyKey<bool> Key = new("MsaShop.Discovery.SteppedAround");

    /// <summary>True when the attempt just made failed on an instance that the next attempt steps around.</summary>
    public static bool WasSteppedAround(this ResilienceContext attempt) => attempt.Properties.GetValue(Key, false);
}
