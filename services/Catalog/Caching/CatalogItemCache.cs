using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using MsaShop.Catalog.Api;
using MsaShop.Catalog.Data;

namespace MsaShop.Catalog.Caching;

/// <summary>An item as the cache holds it: its version (the ETag) and its JSON exactly as GET answers it.</summary>
public sealed record CachedCatalogItem(long Version, ReadOnlyMemory<byte> Json)
{
    public string ETag => ItemETag.Format(Version);
}

/// <summary>
/// Cache-aside for single items: read the cache, on a miss read PostgreSQL and fill the cache; writers
/// remove the entry after changing the row. An entry holds the response itself (the version, then the item's
/// JSON), so a hit is served without deserializing and serializing again. The cache is an optimisation only: when it fails, reads go
/// to PostgreSQL and one warning per outage is logged (the health check reports Degraded meanwhile).
/// </summary>
public sealed partial class CatalogItemCache(
    IDistributedCache cache, CatalogItemRepository repository, IOptions<CatalogOptions> options, ILogger<CatalogItemCache> logger)
{
    private int _cacheFailing;

    private const int VersionLength = sizeof(long);

    /// <summary>The entry of one item; "v3" since entries are the version (8 bytes) followed by the response's JSON.</summary>
    public static string KeyFor(int id) => $"catalog:item:v3:{id}";

    /// <summary>The item's version and JSON, from the cache or (filling it) from PostgreSQL; null when there is no such item.</summary>
    public async Task<CachedCatalogItem?> GetJsonAsync(int id, CancellationToken cancellationToken)
    {
        var key = KeyFor(id);
        if (await TryCacheAsync(() => cache.GetAsync(key, cancellationToken)) is { Length: > VersionLength } cached)
        {
            return Read(cached);
        }

        if (await repository.FindAsync(id, cancellationToken) is not { } item)
        {
            return null;
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(item.Item, CatalogJsonContext.Default.CatalogItem);
        var entry = new byte[VersionLength + json.Length];
        BinaryPrimitives.WriteInt64LittleEndian(entry, item.Version);
        json.CopyTo(entry, VersionLength);
        var expiry = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.Value.ItemCacheDuration };
        await TryCacheAsync(() => cache.SetAsync(key, entry, expiry, cancellationToken));
        return Read(entry);
    }

    /// <summary>The item itself, for callers that want the object rather than its JSON.</summary>
    public async Task<VersionedCatalogItem?> GetAsync(int id, CancellationToken cancellationToken) =>
        await GetJsonAsync(id, cancellationToken) is { } cached
            ? new VersionedCatalogItem(JsonSerializer.Deserialize(cached.Json.Span, CatalogJsonContext.Default.CatalogItem)!, cached.Version)
            : null;

    private static CachedCatalogItem Read(byte[] entry) =>
        new(BinaryPrimitives.ReadInt64LittleEndian(entry), entry.AsMemory(VersionLength));

    /// <summary>Call after the change is committed (the API's PUT; the saga consumers' AfterCommitAsync), so a
    /// later miss reads the new row. A miss that read the old row just before the commit can still write it back
    /// after this: the entry's short expiry (Catalog:ItemCacheDuration) bounds how long that lasts.</summary>
    public async Task InvalidateAsync(IEnumerable<int> ids, CancellationToken cancellationToken)
    {
        foreach (var id in ids)
        {
            await TryCacheAsync(() => cache.RemoveAsync(KeyFor(id), cancellationToken));
        }
    }

    private async Task TryCacheAsync(Func<Task> operation) =>
        await TryCacheAsync(async () =>
        {
            await operation();
            return (byte[]?)null;
        });

    private async Task<T?> TryCacheAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            var result = await operation();
            if (Interlocked.Exchange(ref _cacheFailing, 0) == 1)
            {
                LogCacheRecovered(logger);
            }
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (Interlocked.Exchange(ref _cacheFailing, 1) == 0)
            {
                LogCacheFailing(logger, ex);
            }
            return default;
        }
    }

    [LoggerMessage(LogLevel.Warning, "The item cache is unavailable; reading from PostgreSQL until it answers again")]
    private static partial void LogCacheFailing(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Information, "The item cache answers again")]
    private static partial void LogCacheRecovered(ILogger logger);
}
