using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MsaShop.Postgres;

namespace Microsoft.Extensions.Hosting;

public static class PostgresHostingExtensions
{
    /// <summary>
    /// The service's own database (<c>ConnectionStrings:{connectionName}</c>): Aspire.Npgsql's data source, with its health
    /// check and telemetry, sized and tuned by the <c>Postgres</c> section (<see cref="PostgresOptions"/>).
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase(this IHostApplicationBuilder builder, string connectionName)
    {
        var options = builder.Configuration.GetSection(PostgresOptions.SectionName).Get<PostgresOptions>() ?? new PostgresOptions();
        builder.AddNpgsqlDataSource(connectionName, configureDataSourceBuilder: dataSource =>
        {
            var connection = dataSource.ConnectionStringBuilder;
            connection.MaxPoolSize = options.MaxPoolSize;
            connection.MaxAutoPrepare = options.MaxAutoPrepare;
            // MsaShop keeps no session state on pooled connections (settings are transaction-local), so the DISCARD ALL
            // that Npgsql otherwise sends with each reuse is pure cost: one statement per connection taken from the pool.
            connection.NoResetOnClose = true;
        });
        return builder;
    }

    /// <summary>
    /// Applies the embedded <c>Migrations/*.sql</c> scripts of <paramref name="migrationsAssembly"/> before the
    /// service starts, to the service's <c>NpgsqlDataSource</c> (<see cref="AddServiceDatabase"/>).
    /// Call once per assembly that brings scripts; they run in the order of the calls. <c>Postgres:Migrations</c>
    /// (<see cref="DatabaseMigrationMode"/>) moves them to a release's migrations Job.
    /// </summary>
    public static IHostApplicationBuilder AddDatabaseMigrations(this IHostApplicationBuilder builder,
        System.Reflection.Assembly migrationsAssembly)
    {
        builder.Services.AddSingleton(new MigrationScripts(migrationsAssembly));
        builder.Services.AddOptions<PostgresOptions>().BindConfiguration(PostgresOptions.SectionName);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DatabaseMigrator>());
        return builder;
    }
}
