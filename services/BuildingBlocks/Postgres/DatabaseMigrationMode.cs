namespace MsaShop.Postgres;

/// <summary>When a service migrates its database: <c>Postgres:Migrations</c> (environment <c>Postgres__Migrations</c>).</summary>
public enum DatabaseMigrationMode
{
    /// <summary>Before the service starts (F5, tests, a single deployment): the default.</summary>
    AtStartup,

    /// <summary>Never: a release's migrations Job does it, so a canary cannot change the schema under stable.</summary>
    Skip,

    /// <summary>Migrate, then exit with 0 before anything else starts: what the migrations Job runs.</summary>
    Only,
}
