namespace MsaShop.Postgres;

/// <summary>How a service talks to its PostgreSQL database, bound from the <c>Postgres</c> configuration section.</summary>
public sealed class PostgresOptions
{
    public const string SectionName = "Postgres";

    /// <summary>
    /// The most connections one instance opens. Every replica of every service shares the server's max_connections,
    /// so the pool is sized to the work that holds a connection at once (consumers, requests, background jobs), not
    /// left at Npgsql's 100 (docs/capacity.md).
    /// </summary>
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>Statements prepared on each connection once used twice: PostgreSQL then skips parsing and planning them.</summary>
    public int MaxAutoPrepare { get; set; } = 64;

    /// <summary>When the service migrates its database (<c>Postgres__Migrations</c>): at start, never, or only.</summary>
    public DatabaseMigrationMode Migrations { get; set; } = DatabaseMigrationMode.AtStartup;
}
