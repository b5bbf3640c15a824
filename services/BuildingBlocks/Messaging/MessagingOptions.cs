namespace MsaShop.Messaging;

/// <summary>Tuning knobs of the messaging block, bound from the <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>Delivery attempts a consumer gets after the first failure before the message goes to <c>{endpoint}_error</c>.</summary>
    public int RetryLimit { get; set; } = 5;

    /// <summary>First consumer retry delay; each further delay grows exponentially up to <see cref="RetryMaxInterval"/>.</summary>
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryIntervalDelta { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Messages the endpoint handles at once; 1 handles them strictly in arrival order. Null: MassTransit's default.</summary>
    public int? ConcurrentMessageLimit { get; set; }

    /// <summary>How often the outbox dispatcher looks for pending rows when no NOTIFY woke it.</summary>
    public TimeSpan OutboxPollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rows the dispatcher locks, publishes and marks sent per transaction.</summary>
    public int OutboxBatchSize { get; set; } = 100;

    /// <summary>A publish that takes longer counts as failed, so a broker outage is noticed quickly.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First pause after a failed dispatch; doubles on each further failure up to <see cref="DispatchMaxBackoff"/>.</summary>
    public TimeSpan DispatchMinBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan DispatchMaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long sent outbox rows and inbox records are kept; a redelivery older than this would count as new.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan RetentionCleanupInterval { get; set; } = TimeSpan.FromHours(1);
}
