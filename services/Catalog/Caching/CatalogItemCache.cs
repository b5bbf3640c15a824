using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using MsaShop.Catalog.Data;

namespace MsaShop.Catalog.Caching;

/// <summary>
/// Cache-aside for single items: read the cache, on a miss read PostgreSQL and fill the cache; writers
/// remove the entry after changing the row. The cache is an optimisation only: when it fails, reads go
/// to PostgreSQL and one warning per outage is logged (the health check reports Degraded meanwhile).
/// </summary>
public sealed partial class CatalogItemCache(
    IDistributedCache cache, CatalogItemRepository repository, IOptions<CatalogOptions> options, ILogger<CatalogItemCache> logger)
{
    private int _cacheFailing;

    /// <summary>The entry of one item, with its version (the ETag); "v2" since entries carry the version.</summary>
    public static string KeyFor(int id) => $"catalog:item:v2:{id}";

    public async Task<VersionedCatalogItem?> GetAsync(int id, CancellationToken cancellationToken)
    {
        var key = KeyFor(id);
        if (await TryCacheAsync(() => cache.GetAsync(key, cancellationToken)) is { } cached)
        {
            return JsonSerializer.Deserialize<VersionedCatalogItem>(cached, JsonSerializerOptions.Web);
        }

        var item = await repository.FindAsync(id, cancellationToken);
        if (item is not null)
        {
            var entry = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.Value.ItemCacheDuration };
            await TryCacheAsync(() => cache.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(item, JsonSerializerOptions.Web), entry, cancellationToken));
        }
        return item;
    }

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
