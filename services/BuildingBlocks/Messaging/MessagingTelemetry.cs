using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MsaShop.Messaging;

/// <summary>
/// The activity source of the outbox dispatcher (MassTransit's own source, "MassTransit", covers send and consume)
/// and the meter of the messaging block: what it had to redeliver or set aside.
/// </summary>
public static class MessagingTelemetry
{
    public const string ActivitySourceName = "MsaShop.Messaging";

    public const string MeterName = "MsaShop.Messaging";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Messages parked in a redelivery queue after their in-process retries gave up.</summary>
    internal static readonly Counter<long> Redeliveries = Meter.CreateCounter<long>(
        "msashop.messaging.redeliveries", "{message}", "Messages parked for a delayed redelivery");

    /// <summary>Outbox rows set aside (failed_at) because they can never be published.</summary>
    internal static readonly Counter<long> OutboxRowsSetAside = Meter.CreateCounter<long>(
        "msashop.outbox.set_aside", "{row}", "Outbox rows set aside as poison: never published, kept for an operator");
}
