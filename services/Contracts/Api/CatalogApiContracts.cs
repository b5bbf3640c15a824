using System.Text.Json.Serialization;

namespace MsaShop.Contracts;

// The public HTTP contract of /api/catalog/items: the catalog writes it, MsaShop.Client reads it.

/// <summary>The catalog API's limits: the catalog refuses more with a 400, the client splits longer lists.</summary>
public static class CatalogApiLimits
{
    /// <summary>The most items one page holds.</summary>
    public const int MaxPageSize = 100;

    /// <summary>The most ids one by-ids or prices request takes.</summary>
    public const int MaxIdsPerRequest = 100;
}

/// <summary>A product as the catalog API shows it.</summary>
public sealed record CatalogItem(int Id, string Name, string Description,
    [property: JsonConverter(typeof(PriceJsonConverter))] decimal Price, int AvailableStock);

/// <summary>Name, price and stock of an item (GET /api/catalog/items/by-ids).</summary>
public sealed record CatalogItemSummary(int Id, string Name, [property: JsonConverter(typeof(PriceJsonConverter))] decimal Price,
    int AvailableStock);

/// <summary>
/// What ordering prices an order with (GET /api/catalog/items/prices): the item's name and price, and the version they are of.
/// </summary>
public sealed record CatalogItemPrice(int Id, string Name, [property: JsonConverter(typeof(PriceJsonConverter))] decimal Price,
    long Version);

/// <summary>One page of the catalog, in a stable order (by id).</summary>
public sealed record CatalogPage(int Page, int PageSize, long Total, IReadOnlyList<CatalogItem> Items);

/// <summary>
/// The fields an administrator sets; nullable so a missing one is a 400, not a 0. Creating an item sets its initial
/// stock; updating (PUT) leaves stock alone and refuses availableStock: stock moves by adjustments only.
/// </summary>
public sealed record CatalogItemRequest(string? Name, string? Description, decimal? Price, int? AvailableStock);

/// <summary>A relative stock change: + for a delivery, - for breakage or a count that came up short.</summary>
public sealed record StockAdjustmentRequest(int? Quantity, string? Reason);
