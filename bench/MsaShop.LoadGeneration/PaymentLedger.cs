namespace MsaShop.LoadGeneration;

/// <summary>
/// The payment service's internal lookup (GET /api/payments/{orderId}, as the admin): the gateway has no route to
/// payment, so the ledger check reaches it only when given its address, as an operator would.
/// </summary>
public sealed class PaymentLedger(HttpClient payment, ShopTokens tokens)
{
    /// <summary>The order's payment; null when it has none (never charged).</summary>
    public Task<PaymentDto?> FindAsync(Guid orderId, CancellationToken cancellationToken) =>
        ShopClient.GetOrNullAsync<PaymentDto>(payment, $"/api/payments/{orderId}", tokens.Admin, cancellationToken);
}
