using System.Globalization;
using MsaShop.Contracts;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace MsaShop.Ordering.Catalog;

/// <summary>The catalog could not answer in time (down, timing out, or its circuit is open).</summary>
public sealed class CatalogUnavailableException(Exception innerException)
    : Exception("The catalog is unavailable.", innerException);

/// <summary>
/// Prices an order from the catalog's price cache (GET /api/catalog/items/prices, which stock moves leave in place, so a
/// slow catalog database does not slow pricing; the reservation, which needs the database, waits instead). BaseAddress
/// <c>http://catalog</c> goes through service discovery and a
/// standard resilience handler tuned for this call (<see cref="CatalogCallResilience"/>): a sick catalog costs a
/// shopper a few seconds and a 503, never a hang.
/// </summary>
public sealed class CatalogClient(HttpClient httpClient)
{
    /// <summary>The items among <paramref name="productIds"/> that exist; unknown ids are absent.</summary>
    public async Task<IReadOnlyDictionary<int, CatalogItemPrice>> GetItemsAsync(IReadOnlyCollection<int> productIds,
        CancellationToken cancellationToken)
    {
        var ids = string.Join(',', productIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        try
        {
            var items =
                await httpClient.GetFromJsonAsync<List<CatalogItemPrice>>($"/api/catalog/items/prices?ids={ids}", cancellationToken);
            return (items ?? []).ToDictionary(item => item.Id);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
            || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new CatalogUnavailableException(ex);
        }
    }
}
