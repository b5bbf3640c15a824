using System.Globalization;

namespace MsaShop.Client;

/// <summary>The paths of the public API, relative to the shop's address.</summary>
public static class ShopRoutes
{
    public const string Orders = "/api/orders";

    public static string Items() => "/api/catalog/items";

    public static string Items(int page, int pageSize, string? search = null) => search is null
        ? $"/api/catalog/items?page={page}&pageSize={pageSize}"
        : $"/api/catalog/items?page={page}&pageSize={pageSize}&search={Uri.EscapeDataString(search)}";

    public static string Search(string text) => $"/api/catalog/items?search={Uri.EscapeDataString(text)}";

    public static string Item(int id) => $"/api/catalog/items/{id}";

    public static string ItemsByIds(IEnumerable<int> ids) => $"/api/catalog/items/by-ids?ids={IdList(ids)}";

    public static string Prices(IEnumerable<int> ids) => $"/api/catalog/items/prices?ids={IdList(ids)}";

    public static string StockAdjustments(int id) => $"/api/catalog/items/{id}/stock-adjustments";

    public static string Order(Guid orderId) => $"/api/orders/{orderId}";

    private static string IdList(IEnumerable<int> ids) => string.Join(',', ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));
}
