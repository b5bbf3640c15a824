namespace MsaShop.Harness;

/// <summary>Which servers to start; each one that is not needed saves its start-up time.</summary>
public sealed record BackingServersOptions
{
    public bool Postgres { get; init; } = true;
    public bool Redis { get; init; } = true;
    public bool RabbitMq { get; init; } = true;

    /// <summary>PostgreSQL as deployed (every commit flushed) instead of the tests' fast settings: for benchmarks.</summary>
    public bool DurablePostgres { get; init; }

    /// <summary>Databases created at start; by default one per service.</summary>
    public IReadOnlyList<string> Databases { get; init; } = ResourceNames.Databases;
}
