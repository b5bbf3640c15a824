using Dapper;
using Npgsql;

namespace MsaShop.Catalog.Data;

/// <summary>The catalog_items table, in plain SQL.</summary>
public sealed class CatalogItemRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, name, description, price, available_stock AS availableStock";

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

    public async Task<CatalogItem?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CatalogItem>(new CommandDefinition(
            $"SELECT {Columns} FROM catalog_items WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<CatalogItemSummary>> FindManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<CatalogItemSummary>(new CommandDefinition(
            "SELECT id, name, price, available_stock AS availableStock FROM catalog_items WHERE id = ANY(@ids) ORDER BY id",
            new { ids = ids.ToArray() }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<CatalogItem> CreateAsync(CatalogItemRequest item, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<CatalogItem>(new CommandDefinition(
            $"""
            INSERT INTO catalog_items (name, description, price, available_stock)
            VALUES (@Name, @Description, @Price, @AvailableStock)
            RETURNING {Columns}
            """,
            item with { Description = item.Description ?? "" }, cancellationToken: cancellationToken));
    }

    /// <summary>Replaces the item's fields; null when there is no such item.</summary>
    public async Task<CatalogItem?> UpdateAsync(int id, CatalogItemRequest item, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CatalogItem>(new CommandDefinition(
            $"""
            UPDATE catalog_items
            SET name = @Name, description = @Description, price = @Price, available_stock = @AvailableStock, updated_at = now()
            WHERE id = @id
            RETURNING {Columns}
            """,
            new { id, item.Name, Description = item.Description ?? "", item.Price, item.AvailableStock },
            cancellationToken: cancellationToken));
    }

    /// <summary>Searches for the text itself: %, _ and \ lose their LIKE meaning.</summary>
    private static string EscapeLikePattern(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
}
