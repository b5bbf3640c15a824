using MsaShop.Ordering.Model;

namespace MsaShop.Ordering.Apis;

// The public HTTP contract of /api/orders (DESIGN.md).

public sealed record PlaceOrderRequest(IReadOnlyList<PlaceOrderLine>? Items, string? PaymentToken);

public sealed record PlaceOrderLine(int ProductId, int Quantity);

public sealed record PlaceOrderResponse(Guid OrderId, string Status);

public sealed record OrderItemResponse(int ProductId, string ProductName, decimal UnitPrice, int Quantity);

public sealed record OrderResponse(
    Guid OrderId, string CustomerId, string Status, IReadOnlyList<OrderItemResponse> Items,
    decimal Total, DateTime CreatedAt, DateTime UpdatedAt, string? FailureReason)
{
    public static OrderResponse From(Order order, IReadOnlyList<OrderItem> items) => new(
        order.Id, order.CustomerId, order.Status.ToString(),
        items.Select(i => new OrderItemResponse(i.ProductId, i.ProductName, i.UnitPrice, i.Quantity)).ToList(),
        order.Total, order.CreatedAt, order.UpdatedAt, order.FailureReason);
}
