using MsaShop.Contracts;
using MsaShop.Ordering.Model;

namespace MsaShop.Ordering.Api;

/// <summary>An order as /api/orders answers it (the contract's records live in MsaShop.Contracts, shared with MsaShop.Client).</summary>
public static class OrderResponses
{
    public static OrderResponse From(Order order, IReadOnlyList<OrderItem> items) => new(
        order.Id, order.CustomerId, order.Status.ToString(),
        items.Select(i => new OrderItemResponse(i.ProductId, i.ProductName, i.UnitPrice, i.Quantity)).ToList(),
        order.Total, order.CreatedAt, order.UpdatedAt, order.FailureReason);
}
