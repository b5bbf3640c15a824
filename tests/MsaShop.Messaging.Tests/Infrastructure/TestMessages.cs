namespace MsaShop.Messaging.Tests.Infrastructure;

/// <summary>An event a producer numbers, so tests can check order and exactly-once per producer.</summary>
public sealed record SampleEvent(string Producer, int Sequence);

/// <summary>An event its consumer always fails on.</summary>
public sealed record PoisonEvent(string Producer);
