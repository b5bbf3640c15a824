using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MsaShop.Testing;
using Npgsql;

namespace MsaShop.Catalog.Tests;

/// <summary>A service's pool is sized for a service (PostgresHostingExtensions.AddServiceDatabase), unless its connection string says otherwise.</summary>
public sealed class ServiceDatabaseTests(InfrastructureFixture infrastructure)
{
    [Theory]
    [InlineData("", PostgresHostingExtensions.DefaultMaxPoolSize)]
    [InlineData(";Maximum Pool Size=3", 3)]
    [InlineData(";Maximum Pool Size=40", 40)]
    public async Task The_pool_holds_ten_connections_unless_the_connection_string_names_a_size(string suffix, int expected)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:servicedb"] = infrastructure.Postgres.ConnectionString("postgres") + suffix,
        });
        builder.AddServiceDatabase("servicedb");
        using var host = builder.Build();
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize);
        // And it is the pool in use: with all of it held, one more connection waits (here until cancelled).
        if (expected > PostgresHostingExtensions.DefaultMaxPoolSize)
        {
            return;
        }
        var held = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < expected; i++)
            {
                held.Add(await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken));
            }
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            patience.CancelAfter(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await dataSource.OpenConnectionAsync(patience.Token));
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
