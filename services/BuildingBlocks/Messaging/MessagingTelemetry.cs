using System.Diagnostics;

namespace MsaShop.Messaging;

/// <summary>The activity source of the outbox dispatcher; MassTransit's own source ("MassTransit") covers send and consume.</summary>
public static class MessagingTelemetry
{
    public const string ActivitySourceName = "MsaShop.Messaging";

    internal static readonly ActivitySource Source = new(ActivitySourceName);
}
