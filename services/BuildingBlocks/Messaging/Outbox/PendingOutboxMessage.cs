namespace MsaShop.Messaging;

/// <summary>An outbox row not yet sent.</summary>
internal sealed record PendingOutboxMessage(long Id, Guid MessageId, string MessageType, string Payload, string? TraceParent,
    string? TraceState);
