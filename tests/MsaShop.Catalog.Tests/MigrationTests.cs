using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MsaShop.Catalog.Tests.Support;
using MsaShop.Testing;
using Npgsql;

namespace MsaShop.Catalog.Tests;

/// <summary>Database per service: catalogdb is migrated and seeded by the catalog itself, once, however many replicas start.</summary>
public sealed class MigrationTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Two_replicas_starting_at_once_on_an_empty_database_migrate_and_seed_it_once()
    {
        var settings = await CatalogSettings.CreateAsync(infrastructure, "catalog_replicas");
        await using var first = new ServiceFactory<Program>(settings);
        await using var second = new ServiceFactory<Program>(settings);

        // Creating a client builds and starts the host: both replicas start together.
        var clients = await Task.WhenAll(Task.Run(first.CreateClient), Task.Run(second.CreateClient));

        foreach (var client in clients)
        {
            using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var health = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("PostgreSql").GetProperty("status").GetString());
            client.Dispose();
        }

        await using var connection = new NpgsqlConnection(settings["ConnectionStrings:catalogdb"]);
        var versions = (await connection.QueryAsync<(string Version, long Count)>(
            "SELECT version, count(*) FROM schema_migrations GROUP BY version")).ToList();
        Assert.All(versions, v => Assert.Equal(1, v.Count));
        Assert.Contains(versions, v => v.Version == "MsaShop.Catalog/0001_catalog_items");
        Assert.Contains(versions, v => v.Version == "MsaShop.Catalog/0002_stock_reservations");
        Assert.Equal(100, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM catalog_items"));
        Assert.Equal(100, await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT name) FROM catalog_items"));
    }
}
