namespace MsaShop.LoadGeneration;

/// <summary>Available stock of some products at one moment, read from the catalog's database through the public API.</summary>
public sealed record StockSnapshot(IReadOnlyDictionary<int, int> Available)
{
    public static async Task<StockSnapshot> TakeAsync(ShopAccess shop, IEnumerable<int> productIds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var items = await shop.Api.GetItemsByIdsAsync(productIds, cancellationToken);
        return new StockSnapshot(items.ToDictionary(i => i.Id, i => i.AvailableStock));
    }
}
