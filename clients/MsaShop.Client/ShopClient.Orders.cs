using System.Net;
using System.Net.Http.Json;
using MsaShop.Contracts;

namespace MsaShop.Client;

// Orders: placed as the customer the token names (202, then the saga runs), read by that customer or an admin.
public sealed partial class ShopClient
{
    /// <summary>Places an order; the same <paramref name="idempotencyKey"/> and body answer with the same order.</summary>
    public Task<PlaceOrderResponse> PlaceOrderAsync(
        PlaceOrderRequest order, string? idempotencyKey, string? accessToken, CancellationToken cancellationToken = default) =>
        SendAsync(PlaceOrderRequestMessage(order, idempotencyKey, accessToken), ShopApiJsonContext.Default.PlaceOrderResponse,
            cancellationToken);

    /// <summary>
    /// Places an order and answers with what the shop said, never throwing for a status: the order's id when accepted (202),
    /// the wait a refusal asks for (Retry-After on a 429 or 503: the order was not taken). A refusal's body is left unread.
    /// </summary>
    public async Task<ShopAnswer<PlaceOrderResponse>> TryPlaceOrderAsync(
        PlaceOrderRequest order, string? idempotencyKey, string? accessToken, CancellationToken cancellationToken = default)
    {
        using var request = PlaceOrderRequestMessage(order, idempotencyKey, accessToken);
        using var response = await Http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return new ShopAnswer<PlaceOrderResponse>(response.StatusCode, null, ShopApiException.RefusalWait(response));
        }
        var accepted = await response.Content.ReadFromJsonAsync(ShopApiJsonContext.Default.PlaceOrderResponse, cancellationToken);
        return new ShopAnswer<PlaceOrderResponse>(response.StatusCode, accepted, null);
    }

    /// <summary>One order; 404 (a <see cref="ShopApiException"/>) when it does not exist or is someone else's.</summary>
    public Task<OrderResponse> GetOrderAsync(Guid orderId, string? accessToken, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, ShopRoutes.Order(orderId), accessToken), ShopApiJsonContext.Default.OrderResponse,
            cancellationToken);

    /// <summary>One order, or null when the shop does not know it (404).</summary>
    public async Task<OrderResponse?> FindOrderAsync(Guid orderId, string? accessToken, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetOrderAsync(orderId, accessToken, cancellationToken);
        }
        catch (ShopApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The caller's most recent orders, newest first.</summary>
    public Task<IReadOnlyList<OrderResponse>> GetOrdersAsync(string? accessToken, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, ShopRoutes.Orders, accessToken), ShopApiJsonContext.Default.IReadOnlyListOrderResponse,
            cancellationToken);

    /// <summary>Reads the order every <paramref name="pollInterval"/> until the saga ends it (Completed or Cancelled).</summary>
    public async Task<OrderResponse> WaitForOutcomeAsync(
        Guid orderId, string? accessToken, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var order = await GetOrderAsync(orderId, accessToken, cancellationToken);
            if (OrderStatuses.IsTerminal(order.Status))
            {
                return order;
            }
            await Task.Delay(pollInterval, cancellationToken);
        }
    }

    private static HttpRequestMessage PlaceOrderRequestMessage(PlaceOrderRequest order, string? idempotencyKey, string? accessToken) =>
        Request(HttpMethod.Post, ShopRoutes.Orders, order, ShopApiJsonContext.Default.PlaceOrderRequest, accessToken, idempotencyKey);
}
