namespace MsaShop.Messaging.Tests.Infrastructure;

/// <summary>An event a producer numbers, so tests can check order and exactly-once per producer.</summary>
public sealed record SampleEvent(string Producer, int Sequence);

/// <summary>An event its consumer always fails on.</summary>
public sealed record PoisonEvent(string Producer);

/// <summary>An event MassTransit can never serialize (a getter throws): every publish of it fails, whatever the broker's state.</summary>
public sealed record UnpublishableEvent(string Producer)
{
    public string Body => throw new NotSupportedException("this event can never be serialized");
}

/// <summary>Marks a key: the statement consumer's message.</summary>
public sealed record MarkEvent(string Key);
