using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using MsaShop.Caching;
using MsaShop.Catalog.Api;
using MsaShop.Catalog.Data;

namespace MsaShop.Catalog.Caching;

/// <summary>
/// Cache-aside for single items, on two levels (HybridCache): each instance's memory for a second, then Redis, then
/// PostgreSQL, filling the levels on the way back (an unknown id too, so unknown ids cannot hammer PostgreSQL); writers
/// remove the entry from every instance after changing or creating the row.
/// An entry holds the response itself (the version and the item's JSON), so a hit is served without serializing
/// anything. The cache is an optimisation only: when Redis fails, reads go to PostgreSQL (HybridCache logs the failure,
/// and the health check reports Degraded meanwhile).
/// </summary>
public sealed class CatalogItemCache(
    HybridCache cache, CacheInvalidation invalidation, CatalogItemRepository repository, IOptions<CatalogOptions> options)
{
    /// <summary>The entry of one item; "v4" since entries are HybridCache's, holding the version and the response's JSON.</summary>
    public static string KeyFor(int id) => $"catalog:item:v4:{id}";

    /// <summary>
    /// The item's version and JSON, from a cache level or (filling them) from PostgreSQL; null when there is no such item.
    /// </summary>
    public async ValueTask<CachedCatalogItem?> GetJsonAsync(int id, CancellationToken cancellationToken)
    {
        var cached = await cache.GetOrCreateAsync(
            KeyFor(id),
            (repository, id),
            static async (state, token) => await state.repository.FindAsync(state.id, token) is { } item
                ? CachedCatalogItem.From(item)
                : CachedCatalogItem.Missing,
            EntryOptions,
            cancellationToken: cancellationToken);
        return cached.IsMissing ? null : cached;
    }

    /// <summary>
    /// The entry an order is priced from: the item as of its last name or price change, which stock moves leave in place.
    /// </summary>
    public static string PriceKeyFor(int id) => $"catalog:price:v1:{id}";

    /// <summary>
    /// The items among <paramref name="ids"/> that exist, in id order: each from a cache level where it is there, the rest
    /// in one PostgreSQL query, which fills the cache with them (and with the ids that have no item).
    /// </summary>
    public Task<IReadOnlyList<CachedCatalogItem>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken) =>
        GetManyAsync(ids, KeyFor, cancellationToken);

    /// <summary>
    /// As <see cref="GetManyAsync(IReadOnlyCollection{int}, CancellationToken)"/>, from the price entries: what an order is
    /// priced from. Stock moves (every order's reservation) do not remove them, so an order's price is read from memory or
    /// Redis even while the database is slow; only a write through the API does. Their stock is as old as the entry.
    /// </summary>
    public Task<IReadOnlyList<CachedCatalogItem>> GetPricedAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken) =>
        GetManyAsync(ids, PriceKeyFor, cancellationToken);

    private async Task<IReadOnlyList<CachedCatalogItem>> GetManyAsync(IReadOnlyCollection<int> ids, Func<int, string> keyFor,
        CancellationToken cancellationToken)
    {
        var cachedOnly = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData };
        var lookups = ids.Select(id =>
            (Id: id,
            Entry: cache.GetOrCreateAsync<CachedCatalogItem?>(keyFor(id), _ => default, cachedOnly, cancellationToken: cancellationToken)
            .AsTask()))
            .ToList();
        await Task.WhenAll(lookups.Select(l => l.Entry));
        var found = lookups.Where(l => l.Entry.Result is not null).ToDictionary(l => l.Id, l => l.Entry.Result!);

        var missed = lookups.Where(l => l.Entry.Result is null).Select(l => l.Id).ToList();
        if (missed.Count > 0)
        {
            var read = (await repository.FindManyAsync(missed, cancellationToken))
                .ToDictionary(item => item.Item.Id, CachedCatalogItem.From);
            foreach (var id in missed)
            {
                var entry = read.GetValueOrDefault(id) ?? CachedCatalogItem.Missing;
                await cache.SetAsync(keyFor(id), entry, EntryOptions, cancellationToken: cancellationToken);
                found[id] = entry;
            }
        }
        return found.Where(f => !f.Value.IsMissing).OrderBy(f => f.Key).Select(f => f.Value).ToList();
    }

    /// <summary>The item itself, for callers that want the object rather than its JSON.</summary>
    public async Task<VersionedCatalogItem?> GetAsync(int id, CancellationToken cancellationToken) =>
        await GetJsonAsync(id, cancellationToken) is { } cached ? new VersionedCatalogItem(cached.Item, cached.Version) : null;

    private HybridCacheEntryOptions EntryOptions => new()
    {
        Expiration = options.Value.ItemCacheDuration,
        LocalCacheExpiration = options.Value.ItemLocalCacheDuration,
    };

    /// <summary>Call after the change is committed (the API's writes; the saga consumers' AfterCommitAsync), so a
    /// later miss reads the new row, on every instance. A miss that read the old row just before the commit can still
    /// write it back after this: the entry's short expiry (Catalog:ItemCacheDuration) bounds how long that lasts.</summary>
    public Task InvalidateAsync(IEnumerable<int> ids) =>
        invalidation.RemoveEverywhereAsync([.. ids.SelectMany(id => new[] { KeyFor(id), PriceKeyFor(id) })]);

    /// <summary>
    /// As <see cref="InvalidateAsync"/>, after a change of stock alone (the saga's reservations): the price entries stay.
    /// </summary>
    public Task InvalidateStockAsync(IEnumerable<int> ids) => invalidation.RemoveEverywhereAsync(ids.Select(KeyFor).ToList());
}
