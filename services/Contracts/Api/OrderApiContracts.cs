using System.Text.Json.Serialization;

namespace MsaShop.Contracts;

// The public HTTP contract of /api/orders: ordering writes it, MsaShop.Client reads it.

public sealed record PlaceOrderRequest(IReadOnlyList<PlaceOrderLine>? Items, string? PaymentToken);

public sealed record PlaceOrderLine(int ProductId, int Quantity);

public sealed record PlaceOrderResponse(Guid OrderId, string Status);

public sealed record OrderItemResponse(int ProductId, string ProductName,
    [property: JsonConverter(typeof(PriceJsonConverter))] decimal UnitPrice, int Quantity);

public sealed record OrderResponse(
    Guid OrderId, string CustomerId, string Status, IReadOnlyList<OrderItemResponse> Items,
    [property: JsonConverter(typeof(PriceJsonConverter))] decimal Total, DateTime CreatedAt, DateTime UpdatedAt, string? FailureReason);
