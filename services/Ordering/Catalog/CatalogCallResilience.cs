using Microsoft.Extensions.Http.Resilience;
using MsaShop.ServiceDefaults.Discovery;

namespace MsaShop.Ordering.Catalog;

/// <summary>
/// The standard resilience handler, tuned for the catalog lookup of an order being placed: the shopper waits for
/// it, so a catalog that cannot answer costs at most <see cref="OrderingOptions.CatalogTimeout"/> (3 s) and a 503.
/// docs/service-defaults.md gives each number's reason.
/// </summary>
internal static class CatalogCallResilience
{
    public static void Configure(HttpStandardResilienceOptions options, TimeSpan budget)
    {
        options.TotalRequestTimeout.Timeout = budget;
        // A replica that accepts but never answers costs one second; the retry, resolved afresh, has time left.
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(1);
        options.Retry.MaxRetryAttempts = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);

        // Opens on a catalog-wide outage (then orders fail at once for 5 s instead of each waiting 3 s), not on one
        // dead replica of two: that one fails about half the attempts, and retries step around it.
        options.CircuitBreaker.FailureRatio = 0.9;
        options.CircuitBreaker.MinimumThroughput = 10;
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
        // An attempt cut short by the 3 s budget (or by the shopper leaving) fails too. The default counts it as a success,
        // so a catalog too slow for every attempt showed the breaker two failures and one "success" per order: it never opened.
        // An attempt on a dead replica that the retry steps around (StepAroundFailingInstances) is that replica's failure, not
        // the catalog's: it does not count.
        options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(!args.Context.WasSteppedAround()
            && (HttpClientResiliencePredicates.IsTransient(args.Outcome) || args.Outcome.Exception is OperationCanceledException));
    }
}
