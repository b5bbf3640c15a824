using System.Text.Json;
using Dapper;
using MsaShop.Contracts;
using Npgsql;

namespace MsaShop.Catalog.Data;

/// <summary>
/// Fills an empty catalog from the embedded Data/catalog.json, once: after the migrations (they run while
/// the host is starting) and before the web server, which a WebApplication starts after every hosted service
/// of the application. Replicas starting together queue on a transaction-scoped advisory lock; the later
/// ones find the table filled and do nothing.
/// </summary>
internal sealed partial class CatalogSeeder(NpgsqlDataSource dataSource, ILogger<CatalogSeeder> logger) : IHostedService
{
    private const long SeedLockKey = 0x43617453656564; // "CatSeed"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(@key)", new { key = SeedLockKey }, transaction, cancellationToken: cancellationToken));
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM catalog_items)", transaction: transaction, cancellationToken: cancellationToken)))
        {
            return;
        }

        var items = LoadSeed();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO catalog_items (name, description, price, available_stock)
            SELECT * FROM unnest(@names, @descriptions, @prices, @stocks)
            """,
            new
            {
                names = items.Select(i => i.Name).ToArray(),
                descriptions = items.Select(i => i.Description).ToArray(),
                prices = items.Select(i => i.Price.GetValueOrDefault()).ToArray(),
                stocks = items.Select(i => i.AvailableStock.GetValueOrDefault()).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        LogSeeded(logger, items.Count);
    }

    private static List<CatalogItemRequest> LoadSeed()
    {
        using var stream = typeof(CatalogSeeder).Assembly.GetManifestResourceStream("MsaShop.Catalog.Data.catalog.json")
            ?? throw new InvalidOperationException("The catalog seed Data/catalog.json is not embedded.");
        return JsonSerializer.Deserialize<List<CatalogItemRequest>>(stream, JsonSerializerOptions.Web) ?? [];
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Seeded the empty catalog with {Count} items")]
    private static partial void LogSeeded(ILogger logger, int count);
}
