using MsaShop.Client;
using MsaShop.Contracts;

namespace MsaShop.LoadGeneration;

/// <summary>The shop's public API (MsaShop.Client) and the tokens a run calls it with: each customer's and the admin's.</summary>
public sealed record ShopAccess(ShopClient Api, ShopTokens Tokens)
{
    public ShopAccess(HttpClient http, ShopTokens tokens) : this(new ShopClient(http), tokens)
    {
    }

    /// <summary>Adds <paramref name="units"/> to each product's stock as the admin, each adjustment under a key of its own.</summary>
    public async Task RestockAsync(IEnumerable<int> productIds, int units, CancellationToken cancellationToken)
    {
        foreach (var product in productIds)
        {
            await Api.AdjustStockAsync(product, new StockAdjustmentRequest(units, "load generation"), Guid.NewGuid().ToString(),
                Tokens.Admin,
                cancellationToken);
        }
    }
}
