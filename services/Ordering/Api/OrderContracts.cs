using System.Text.Json.Serialization;
using MsaShop.Contracts;
using MsaShop.Ordering.Model;

namespace MsaShop.Ordering.Api;

// The public HTTP contract of /api/orders (docs/README.md, "The services").

public sealed record PlaceOrderRequest(IReadOnlyList<PlaceOrderLine>? Items, string? PaymentToken);

public sealed record PlaceOrderLine(int ProductId, int Quantity);

public sealed record PlaceOrderResponse(Guid OrderId, string Status);

public sealed record OrderItemResponse(int ProductId, string ProductName, [property: JsonConverter(typeof(PriceJsonConverter))] decimal UnitPrice, int Quantity);

public sealed record OrderResponse(
    Guid OrderId, string CustomerId, string Status, IReadOnlyList<OrderItemResponse> Items,
    [property: JsonConverter(typeof(PriceJsonConverter))] decimal Total, DateTime CreatedAt, DateTime UpdatedAt, string? FailureReason)
{
    public static OrderResponse From(Order order, IReadOnlyList<OrderItem> items) => new(
        order.Id, order.CustomerId, order.Status.ToString(),
        items.Select(i => new OrderItemResponse(i.ProductId, i.ProductName, i.UnitPrice, i.Quantity)).ToList(),
        order.Total, order.CreatedAt, order.UpdatedAt, order.FailureReason);
}
