using System.Globalization;

namespace MsaShop.Messaging.Redelivery;

/// <summary>
/// When a message whose in-process retries gave up comes back: the n-th redelivery waits
/// <see cref="MessagingOptions.RedeliveryMinInterval"/> × 2^(n-1), at most <see cref="MessagingOptions.RedeliveryMaxInterval"/>,
/// for up to <see cref="MessagingOptions.RedeliveryLimit"/> redeliveries. Each distinct wait is one RabbitMQ queue.
/// </summary>
internal sealed class RedeliverySchedule(string endpointName, MessagingOptions options)
{
    public int Limit => options.RedeliveryLimit;

    /// <summary>The wait before redelivery number <paramref name="redelivery"/> (1 for the first); null past the limit.</summary>
    public TimeSpan? DelayBefore(int redelivery)
    {
        if (redelivery < 1 || redelivery > options.RedeliveryLimit)
        {
            return null;
        }

        var doubled = options.RedeliveryMinInterval.Ticks * Math.Pow(2, redelivery - 1);
        return TimeSpan.FromTicks((long)Math.Min(doubled, options.RedeliveryMaxInterval.Ticks));
    }

    /// <summary>The queue a message waits in for <paramref name="delay"/>: "catalog_redelivery_30s". Its name says its
    /// time-to-live, so a queue is never declared twice with different arguments.</summary>
    public string QueueFor(TimeSpan delay)
    {
        var milliseconds = (long)delay.TotalMilliseconds;
        var suffix = milliseconds % 1000 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000}s")
            : string.Create(CultureInfo.InvariantCulture, $"{milliseconds}ms");
        return $"{endpointName}_redelivery_{suffix}";
    }

    /// <summary>The endpoint's own queue, where an expired message is dead-lettered back to.</summary>
    public string EndpointQueue => endpointName;
}
