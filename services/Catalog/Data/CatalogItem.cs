namespace MsaShop.Catalog.Data;

/// <summary>A product as the catalog API shows it.</summary>
public sealed record CatalogItem(int Id, string Name, string Description, decimal Price, int AvailableStock);

/// <summary>What ordering needs to price an order and check it can be filled.</summary>
public sealed record CatalogItemSummary(int Id, string Name, decimal Price, int AvailableStock);

/// <summary>One page of the catalog, in a stable order (by id).</summary>
public sealed record CatalogPage(int Page, int PageSize, long Total, IReadOnlyList<CatalogItem> Items);

/// <summary>The fields an administrator sets when creating or updating an item; nullable so a missing one is a 400, not a 0.</summary>
public sealed record CatalogItemRequest(string? Name, string? Description, decimal? Price, int? AvailableStock);
