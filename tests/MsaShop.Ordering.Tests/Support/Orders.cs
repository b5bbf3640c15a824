using MsaShop.Client;
using MsaShop.Contracts;

namespace MsaShop.Tests.Support;

/// <summary>The steps the saga tests take through MsaShop.Client, as the customer whose HttpClient carries the token.</summary>
public static class Orders
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>An order of one line.</summary>
    public static PlaceOrderRequest Of(int productId, int quantity, string paymentToken = "tok_visa") =>
        new([new(productId, quantity)], paymentToken);

    /// <summary>Places an order that must be accepted (anything else throws, with the problem the shop answered); returns its id.</summary>
    public static async Task<Guid> PlaceAcceptedOrderAsync(this ShopClient customer, int productId, int quantity,
        string paymentToken = "tok_visa") =>
        (await customer.PlaceOrderAsync(Of(productId, quantity, paymentToken), idempotencyKey: null, accessToken: null, Cancellation))
            .OrderId;

    /// <summary>Places an order and answers with the status, whatever it is.</summary>
    public static Task<ShopAnswer<PlaceOrderResponse>> TryPlaceOrderAsync(
        this ShopClient customer, int productId, int quantity, string paymentToken = "tok_visa", string? idempotencyKey = null) =>
        customer.TryPlaceOrderAsync(Of(productId, quantity, paymentToken), idempotencyKey, accessToken: null, Cancellation);

    public static Task<OrderResponse> GetOrderAsync(this ShopClient customer, Guid orderId) =>
        customer.GetOrderAsync(orderId, accessToken: null, Cancellation);

    public static Task<IReadOnlyList<OrderResponse>> GetOrdersAsync(this ShopClient customer) =>
        customer.GetOrdersAsync(accessToken: null, Cancellation);

    /// <summary>Polls the order until it is Completed or Cancelled.</summary>
    public static Task<OrderResponse> WaitUntilFinishedAsync(this ShopClient customer, Guid orderId, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(() => customer.GetOrderAsync(orderId), o => OrderStatuses.IsTerminal(o.Status),
            $"order {orderId} to finish", timeout);
}
