namespace MsaShop.Messaging;

/// <summary>An outbox row its own process has just committed: the relay publishes the message object itself.</summary>
internal sealed record CommittedOutboxMessage(long Id, Guid MessageId, object Message, string? TraceParent, string? TraceState);
