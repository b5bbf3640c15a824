using MsaShop.Contracts;

namespace MsaShop.Client;

// The catalog: anonymous reads, and the admin's writes (an admin token; PUT needs the ETag read, in If-Match).
public sealed partial class ShopClient
{
    /// <summary>A page of items by id; <paramref name="search"/> matches name or description.</summary>
    public Task<CatalogPage> GetItemsAsync(int page = 1, int pageSize = 20, string? search = null,
        CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, ShopRoutes.Items(page, pageSize, search), accessToken: null),
            ShopApiJsonContext.Default.CatalogPage, cancellationToken);

    /// <summary>One item with its ETag, the version to send back in If-Match when changing it.</summary>
    public Task<ETagged<CatalogItem>> GetItemAsync(int id, CancellationToken cancellationToken = default) =>
        SendTaggedAsync(Request(HttpMethod.Get, ShopRoutes.Item(id), accessToken: null), ShopApiJsonContext.Default.CatalogItem,
            cancellationToken);

    /// <summary>Name, price and stock of the items among <paramref name="ids"/> that exist (unknown ids are absent).</summary>
    public Task<IReadOnlyList<CatalogItemSummary>> GetItemsByIdsAsync(IEnumerable<int> ids,
        CancellationToken cancellationToken = default) =>
        GetInChunksAsync(ids, ShopRoutes.ItemsByIds, ShopApiJsonContext.Default.IReadOnlyListCatalogItemSummary, cancellationToken);

    /// <summary>Name, price and version of the items among <paramref name="ids"/> that exist, as ordering prices an order.</summary>
    public Task<IReadOnlyList<CatalogItemPrice>> GetPricesAsync(IEnumerable<int> ids, CancellationToken cancellationToken = default) =>
        GetInChunksAsync(ids, ShopRoutes.Prices, ShopApiJsonContext.Default.IReadOnlyListCatalogItemPrice, cancellationToken);

    /// <summary>Adds an item with its initial stock (admin).</summary>
    public Task<ETagged<CatalogItem>> CreateItemAsync(CatalogItemRequest item, string? accessToken,
        CancellationToken cancellationToken = default) =>
        SendTaggedAsync(Request(HttpMethod.Post, ShopRoutes.Items(), item, ShopApiJsonContext.Default.CatalogItemRequest, accessToken),
            ShopApiJsonContext.Default.CatalogItem, cancellationToken);

    /// <summary>
    /// Replaces name, description and price (admin) if the item is still at <paramref name="ifMatch"/>; 412 when it changed since.
    /// </summary>
    public Task<ETagged<CatalogItem>> UpdateItemAsync(
        int id, CatalogItemRequest item, string ifMatch, string? accessToken, CancellationToken cancellationToken = default)
    {
        var request = Request(HttpMethod.Put, ShopRoutes.Item(id), item, ShopApiJsonContext.Default.CatalogItemRequest, accessToken);
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return SendTaggedAsync(request, ShopApiJsonContext.Default.CatalogItem, cancellationToken);
    }

    /// <summary>
    /// Adds (or, negative, removes) units of stock (admin); a retry under the same <paramref name="idempotencyKey"/> counts once.
    /// </summary>
    public Task<ETagged<CatalogItem>> AdjustStockAsync(
        int id, StockAdjustmentRequest adjustment, string? idempotencyKey, string? accessToken,
        CancellationToken cancellationToken = default) =>
        SendTaggedAsync(
            Request(HttpMethod.Post, ShopRoutes.StockAdjustments(id), adjustment, ShopApiJsonContext.Default.StockAdjustmentRequest,
            accessToken, idempotencyKey), ShopApiJsonContext.Default.CatalogItem, cancellationToken);

    private async Task<IReadOnlyList<T>> GetInChunksAsync<T>(
        IEnumerable<int> ids, Func<IEnumerable<int>, string> path,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<IReadOnlyList<T>> answerType,
        CancellationToken cancellationToken)
    {
        var found = new List<T>();
        foreach (var chunk in ids.Distinct().Chunk(CatalogApiLimits.MaxIdsPerRequest))
        {
            found.AddRange(await SendAsync(Request(HttpMethod.Get, path(chunk), accessToken: null), answerType, cancellationToken));
        }
        return found;
    }
}
