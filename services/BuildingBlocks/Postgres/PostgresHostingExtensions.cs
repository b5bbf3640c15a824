using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MsaShop.Postgres;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

public static class PostgresHostingExtensions
{
    /// <summary>
    /// Registers the service's one <see cref="NpgsqlDataSource"/> from <c>ConnectionStrings:{name}</c>
    /// (the key Aspire injects) and a readiness check that the database answers.
    /// </summary>
    public static IHostApplicationBuilder AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string 'ConnectionStrings:{connectionName}' is not configured.");
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString)
        {
            Name = connectionName,
        }.Build());
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>(connectionName, HealthStatus.Unhealthy, ["ready"]);
        return builder;
    }

    /// <summary>
    /// Applies the embedded <c>Migrations/*.sql</c> scripts of <paramref name="migrationsAssembly"/> before the
    /// service starts. Call once per assembly that brings scripts; they run in the order of the calls.
    /// </summary>
    public static IHostApplicationBuilder AddDatabaseMigrations(this IHostApplicationBuilder builder, System.Reflection.Assembly migrationsAssembly)
    {
        builder.Services.AddSingleton(new MigrationScripts(migrationsAssembly));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DatabaseMigrator>());
        return builder;
    }
}
