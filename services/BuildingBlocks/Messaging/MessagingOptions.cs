namespace MsaShop.Messaging;

/// <summary>Tuning knobs of the messaging block, bound from the <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>
    /// In-process retries a consumer gets after the first failure, before the message is parked for a delayed redelivery.
    /// </summary>
    public int RetryLimit { get; set; } = 5;

    /// <summary>First consumer retry delay; each further delay grows exponentially up to <see cref="RetryMaxInterval"/>.</summary>
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryIntervalDelta { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Delayed redeliveries (through a RabbitMQ queue with a time-to-live) once the in-process retries gave up; after
    /// the last one the message goes to <c>{endpoint}_error</c>. 0 turns delayed redelivery off.
    /// </summary>
    public int RedeliveryLimit { get; set; } = 8;

    /// <summary>Wait before the first delayed redelivery; each further wait doubles, up to <see cref="RedeliveryMaxInterval"/>.
    /// The defaults (30 s, 1, 2, 4, 8, 10, 10, 10 min) keep a message coming back for about 45 minutes.</summary>
    public TimeSpan RedeliveryMinInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RedeliveryMaxInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The longest a message can keep coming back before it goes to the error queue: every delayed redelivery's
    /// wait, plus every delivery's in-process retries each at <see cref="RetryMaxInterval"/>. With the defaults, 68 minutes.</summary>
    public TimeSpan RedeliveryWindow
    {
        get
        {
            var schedule = new Redelivery.RedeliverySchedule(string.Empty, this);
            var waits = Enumerable.Range(1, RedeliveryLimit)
                .Aggregate(TimeSpan.Zero, (sum, redelivery) => sum + schedule.DelayBefore(redelivery)!.Value);
            return waits + (RedeliveryLimit + 1) * RetryLimit * RetryMaxInterval;
        }
    }

    /// <summary>Messages the endpoint handles at once, and so fetches from the broker at once; 1 handles them strictly in
    /// arrival order. Null: MassTransit's default (16 here). Keep it within the database pool (Postgres:MaxPoolSize).</summary>
    public int? ConcurrentMessageLimit { get; set; }

    /// <summary>How often the outbox dispatcher sweeps for rows the relay did not publish.</summary>
    public TimeSpan OutboxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How old a pending row must be before the dispatcher takes it: younger rows are the relay's, which publishes them
    /// within milliseconds of their commit. A relay slower than this (a stalled process) and the dispatcher may both
    /// publish a row; the consumers' inboxes make the second delivery harmless.
    /// </summary>
    public TimeSpan OutboxSweepAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rows the relay publishes together, and the dispatcher locks, publishes and marks sent per transaction.</summary>
    public int OutboxBatchSize { get; set; } = 100;

    /// <summary>A publish that takes longer counts as failed, so a broker outage is noticed quickly.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First pause after a failed dispatch; doubles on each further failure up to <see cref="DispatchMaxBackoff"/>.</summary>
    public TimeSpan DispatchMinBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan DispatchMaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed publishes after which a row is suspected to be poison: it is set aside (failed_at) as soon as a row
    /// after it is published, which shows the broker works and the fault is the row's. Publish timeouts do not count.</summary>
    public int OutboxMaxAttempts { get; set; } = 5;

    /// <summary>
    /// The longest a dispatcher may hold its claim on a batch without a word to PostgreSQL (the transaction's
    /// idle_in_transaction_session_timeout): a frozen or vanished dispatcher loses its rows to another replica after
    /// this. A healthy one speaks after every publish, so it must exceed <see cref="PublishTimeout"/>.
    /// </summary>
    public TimeSpan OutboxClaimTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long sent outbox rows, inbox records and each service's settled saga rows are kept; a redelivery older
    /// than this would count as new.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan RetentionCleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most rows one retention statement deletes; the cleanup repeats it while batches come back full.</summary>
    public int RetentionBatchSize { get; set; } = 1000;
}
