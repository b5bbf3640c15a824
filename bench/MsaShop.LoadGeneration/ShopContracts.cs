namespace MsaShop.LoadGeneration;

// The shop's public HTTP contract (docs/README.md, "The services"), as much of it as the load generator reads.

public sealed record CatalogItemDto(int Id, string Name, string Description, decimal Price, int AvailableStock);

public sealed record CatalogPageDto(int Page, int PageSize, long Total, IReadOnlyList<CatalogItemDto> Items);

public sealed record OrderLineDto(int ProductId, int Quantity);

public sealed record PlaceOrderDto(IReadOnlyList<OrderLineDto> Items, string PaymentToken);

public sealed record PlaceOrderResponseDto(Guid OrderId, string Status);

public sealed record OrderItemDto(int ProductId, string ProductName, decimal UnitPrice, int Quantity);

public sealed record OrderDto(
    Guid OrderId, string CustomerId, string Status, IReadOnlyList<OrderItemDto> Items,
    decimal Total, DateTime CreatedAt, DateTime UpdatedAt, string? FailureReason)
{
    public bool IsTerminal => Status is OrderStatuses.Completed or OrderStatuses.Cancelled;
}

/// <summary>The payment service's internal lookup (no gateway route): one payment per order.</summary>
public sealed record PaymentDto(Guid PaymentId, Guid OrderId, decimal Amount, string Status, string? FailureReason);

public static class OrderStatuses
{
    public const string Completed = "Completed";
    public const string Cancelled = "Cancelled";
}

public static class PaymentStatuses
{
    public const string Charging = "Charging";
    public const string Succeeded = "Succeeded";
}
