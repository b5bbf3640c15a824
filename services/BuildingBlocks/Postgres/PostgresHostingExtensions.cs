using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MsaShop.Postgres;

namespace Microsoft.Extensions.Hosting;

public static class PostgresHostingExtensions
{
    /// <summary>Connections one service instance keeps at most, unless its connection string says otherwise.</summary>
    public const int DefaultMaxPoolSize = 10;

    private static readonly string[] MaxPoolSizeKeywords = ["Maximum Pool Size", "MaxPoolSize"];

    /// <summary>
    /// The service's own database (Aspire.Npgsql's data source, health check and telemetry), with a pool sized for a
    /// service rather than Npgsql's 100: a few cores of PostgreSQL run a handful of transactions at once, and every
    /// replica of every service has its own pool, so a small one queues the surplus in the service instead of
    /// crowding PostgreSQL with backends. A <c>Maximum Pool Size</c> in the connection string still wins.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.AddNpgsqlDataSource(connectionName, configureDataSourceBuilder: dataSource =>
        {
            // The plain builder keeps the keys as written (Npgsql's answers for any keyword it knows).
            var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = dataSource.ConnectionString };
            if (!MaxPoolSizeKeywords.Any(written.ContainsKey))
            {
                dataSource.ConnectionStringBuilder.MaxPoolSize = DefaultMaxPoolSize;
            }
        });
        return builder;
    }

    /// <summary>
    /// Applies the embedded <c>Migrations/*.sql</c> scripts of <paramref name="migrationsAssembly"/> before the
    /// service starts, to the <c>NpgsqlDataSource</c> that Aspire.Npgsql's <c>AddNpgsqlDataSource</c> registers.
    /// Call once per assembly that brings scripts; they run in the order of the calls.
    /// </summary>
    public static IHostApplicationBuilder AddDatabaseMigrations(this IHostApplicationBuilder builder, System.Reflection.Assembly migrationsAssembly)
    {
        builder.Services.AddSingleton(new MigrationScripts(migrationsAssembly));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DatabaseMigrator>());
        return builder;
    }
}
