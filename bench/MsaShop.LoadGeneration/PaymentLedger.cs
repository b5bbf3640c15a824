using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace MsaShop.LoadGeneration;

/// <summary>
/// The payment service's internal lookup (GET /api/payments/{orderId}, as the admin): the gateway has no route to
/// payment, so the ledger check reaches it only when given its address, as an operator would. It is no part of the
/// public API, so MsaShop.Client leaves it out.
/// </summary>
public sealed class PaymentLedger(HttpClient payment, ShopTokens tokens)
{
    /// <summary>The order's payment; null when it has none (never charged).</summary>
    public async Task<PaymentDto?> FindAsync(Guid orderId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/payments/{orderId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Admin);
        using var response = await payment.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<PaymentDto>(cancellationToken);
    }
}

/// <summary>A payment as the payment service's lookup shows it.</summary>
public sealed record PaymentDto(Guid PaymentId, Guid OrderId, decimal Amount, string Status, string? FailureReason);

public static class PaymentStatuses
{
    public const string Charging = "Charging";
    public const string Succeeded = "Succeeded";
}
