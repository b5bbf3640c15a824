using Dapper;
using MsaShop.Contracts;
using Npgsql;

namespace MsaShop.Catalog.Data;

/// <summary>The catalog_items table, in plain SQL.</summary>
public sealed class CatalogItemRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, name, description, price, available_stock AS availableStock";

    private const string VersionedColumns = $"{Columns}, version";

    public async Task<CatalogPage> GetPageAsync(int page, int pageSize, string? search, CancellationToken cancellationToken)
    {
        // ILIKE '%text%' over name and description; the trigram indexes of 0001_catalog_items.sql serve it.
        var pattern = string.IsNullOrWhiteSpace(search) ? null : $"%{EscapeLikePattern(search.Trim())}%";
        var where = pattern is null ? "" : "WHERE name ILIKE @pattern OR description ILIKE @pattern";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT count(*) FROM catalog_items {where};
            SELECT {Columns} FROM catalog_items {where} ORDER BY id LIMIT @pageSize OFFSET @offset;
            """,
            new { pattern, pageSize, offset = (long)(page - 1) * pageSize },
            cancellationToken: cancellationToken));
        var total = await results.ReadSingleAsync<long>();
        var items = (await results.ReadAsync<CatalogItem>()).AsList();
        return new CatalogPage(page, pageSize, total, items);
    }

    public async Task<VersionedCatalogItem?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryVersionedAsync(connection, $"SELECT {VersionedColumns} FROM catalog_items WHERE id = @id", new { id }, null,
            cancellationToken);
    }

    /// <summary>The items among <paramref name="ids"/> that exist, with their versions, in one query.</summary>
    public async Task<IReadOnlyList<VersionedCatalogItem>> FindManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<CatalogItem, long, VersionedCatalogItem>(new CommandDefinition(
                $"SELECT {VersionedColumns} FROM catalog_items WHERE id = ANY(@ids) ORDER BY id", new { ids = ids.ToArray() },
                cancellationToken: cancellationToken),
            (item, version) => new VersionedCatalogItem(item, version), splitOn: "version")).AsList();
    }

    public async Task<VersionedCatalogItem> CreateAsync(CatalogItemRequest item, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await QueryVersionedAsync(connection,
            $"""
            INSERT INTO catalog_items (name, description, price, available_stock)
            VALUES (@Name, @Description, @Price, @AvailableStock)
            RETURNING {VersionedColumns}
            """,
            item with { Description = item.Description ?? "" }, null, cancellationToken))!;
    }

    /// <summary>
    /// Replaces name, description and price if the item is still at one of <paramref name="expectedVersions"/> (one
    /// conditional UPDATE: no window between the check and the write), and moves it to the next version. Stock is not touched.
    /// </summary>
    public async Task<ItemUpdate> UpdateAsync(int id, long[] expectedVersions, CatalogItemRequest item, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var updated = await QueryVersionedAsync(connection,
            $"""
            UPDATE catalog_items
            SET name = @Name, description = @Description, price = @Price, version = version + 1, updated_at = now()
            WHERE id = @id AND version = ANY(@expectedVersions)
            RETURNING {VersionedColumns}
            """,
            new { id, expectedVersions, item.Name, Description = item.Description ?? "", item.Price }, null, cancellationToken);
        if (updated is not null)
        {
            return new ItemUpdate.Updated(updated);
        }

        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT version FROM catalog_items WHERE id = @id", new { id }, cancellationToken: cancellationToken)) is { } current
            ? new ItemUpdate.Stale(current)
            : new ItemUpdate.NotFound();
    }

    /// <summary>
    /// Adds <paramref name="quantity"/> (negative: removes) to the item's stock and records the adjustment, in one
    /// transaction; never below zero. Relative, so it commutes with reservations made meanwhile. A repeated
    /// <paramref name="idempotencyKey"/> applies nothing and answers with the item as it is.
    /// </summary>
    public async Task<StockAdjustment> AdjustStockAsync(
        int id, int quantity, string reason, string adjustedBy, string? idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (idempotencyKey is not null && await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
                "SELECT quantity FROM stock_adjustments WHERE product_id = @id AND idempotency_key = @idempotencyKey",
                new { id, idempotencyKey }, transaction, cancellationToken: cancellationToken)) is { } earlier)
        {
            return earlier == quantity
                ? new StockAdjustment.Applied((await QueryVersionedAsync(connection,
                    $"SELECT {VersionedColumns} FROM catalog_items WHERE id = @id", new { id }, transaction, cancellationToken))!)
                : new StockAdjustment.KeyReused(earlier);
        }

        var adjusted = await QueryVersionedAsync(connection,
            $"""
            UPDATE catalog_items SET available_stock = available_stock + @quantity, updated_at = now()
            WHERE id = @id AND available_stock::bigint + @quantity BETWEEN 0 AND 2147483647
            RETURNING {VersionedColumns}
            """,
            new { id, quantity }, transaction, cancellationToken);
        if (adjusted is null)
        {
            // Summed as bigint: an integer overflow would otherwise be PostgreSQL's error, a 500.
            return await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
                    "SELECT available_stock FROM catalog_items WHERE id = @id", new { id }, transaction,
                    cancellationToken: cancellationToken)) switch
            {
                null => new StockAdjustment.NotFound(),
                var available when (long)available + quantity > int.MaxValue => new StockAdjustment.AboveMaximum(available.Value),
                var available => new StockAdjustment.BelowZero(available.Value),
            };
        }

        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO stock_adjustments (product_id, quantity, reason, adjusted_by, idempotency_key) VALUES (@id, @quantity, " +
                    "@reason, @adjustedBy, @idempotencyKey)",
                new { id, quantity, reason, adjustedBy, idempotencyKey }, transaction, cancellationToken: cancellationToken));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The same key raced in from another request and won: this one applies nothing.
            await transaction.RollbackAsync(cancellationToken);
            return await AdjustStockAsync(id, quantity, reason, adjustedBy, idempotencyKey, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new StockAdjustment.Applied(adjusted);
    }

    private static async Task<VersionedCatalogItem?> QueryVersionedAsync(
        NpgsqlConnection connection, string sql, object parameters, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<CatalogItem, long, VersionedCatalogItem>(new CommandDefinition(
                sql, parameters, transaction, cancellationToken: cancellationToken),
            (item, version) => new VersionedCatalogItem(item, version), splitOn: "version"))
        .SingleOrDefault();

    /// <summary>Searches for the text itself: %, _ and \ lose their LIKE meaning.</summary>
    private static string EscapeLikePattern(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
}
