using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MsaShop.Postgres;

namespace Microsoft.Extensions.Hosting;

public static class PostgresHostingExtensions
{
    /// <summary>
    /// Applies the embedded <c>Migrations/*.sql</c> scripts of <paramref name="migrationsAssembly"/> before the
    /// service starts, to the <c>NpgsqlDataSource</c> that Aspire.Npgsql's <c>AddNpgsqlDataSource</c> registers.
    /// Call once per assembly that brings scripts; they run in the order of the calls. <c>Postgres:Migrations</c>
    /// (<see cref="DatabaseMigrationMode"/>) moves them to a release's migrations Job.
    /// </summary>
    public static IHostApplicationBuilder AddDatabaseMigrations(this IHostApplicationBuilder builder, System.Reflection.Assembly migrationsAssembly)
    {
        builder.Services.AddSingleton(new MigrationScripts(migrationsAssembly));
        builder.Services.AddOptions<DatabaseMigrationOptions>().BindConfiguration(DatabaseMigrationOptions.SectionName);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DatabaseMigrator>());
        return builder;
    }
}
