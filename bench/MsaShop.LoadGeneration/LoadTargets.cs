using MsaShop.Contracts;

namespace MsaShop.LoadGeneration;

/// <summary>What the load reads and orders: items to read, products to order, words to search, pages to browse.</summary>
public sealed record LoadTargets(IReadOnlyList<int> ItemIds, IReadOnlyList<int> OrderProductIds, IReadOnlyList<string> SearchTerms,
    int Pages)
{
    public const int PageSize = 20;

    /// <summary>
    /// Reads the first <paramref name="items"/> items of the catalog; orders go to the first <paramref name="orderProducts"/> of them.
    /// </summary>
    public static async Task<LoadTargets> DiscoverAsync(ShopAccess shop, int items = 100, int orderProducts = 20,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var found = new List<CatalogItem>();
        long total = 0;
        for (var page = 1; found.Count < items; page++)
        {
            var next = await shop.Api.GetItemsAsync(page, 100, cancellationToken: cancellationToken);
            total = next.Total;
            found.AddRange(next.Items);
            if (next.Items.Count < 100)
            {
                break;
            }
        }
        if (found.Count == 0)
        {
            throw new InvalidOperationException("The catalog has no items to read or order.");
        }
        var sample = found.Take(items).ToList();
        var words = sample.SelectMany(i => i.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length >= 4).Select(w => w.ToLowerInvariant()).Distinct().Take(50).ToList();
        return new LoadTargets(
            sample.Select(i => i.Id).ToList(),
            sample.Take(orderProducts).Select(i => i.Id).ToList(),
            words.Count > 0 ? words : ["shop"],
            (int)Math.Max(1, Math.Min(50, (total + PageSize - 1) / PageSize)));
    }
}
