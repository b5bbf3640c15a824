using System.Net;
using Polly;
using Polly.Timeout;

namespace MsaShop.ServiceDefaults.Resilience;

/// <summary>What counts as a failure worth retrying (and counting against the circuit breaker).</summary>
internal static class HttpTransientFailure
{
    private static readonly HashSet<HttpMethod> IdempotentMethods =
        [HttpMethod.Get, HttpMethod.Head, HttpMethod.Options, HttpMethod.Trace, HttpMethod.Put, HttpMethod.Delete];

    public static bool Is(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        HttpRequestException or TimeoutRejectedException => true,
        null => outcome.Result is { } response && IsTransient(response.StatusCode),
        _ => false,
    };

    /// <summary>Only a request that may safely arrive twice is retried: never POST or PATCH.</summary>
    public static bool IsRetryable(HttpRequestMessage request) => IdempotentMethods.Contains(request.Method);

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
}
