namespace MsaShop.Ordering.Model;

/// <summary>An order's header row. Times are UTC.</summary>
public sealed record Order
{
    public required Guid Id { get; init; }
    public required string CustomerId { get; init; }
    public required OrderStatus Status { get; init; }
    public required decimal Total { get; init; }
    public required string PaymentToken { get; init; }
    public string? FailureReason { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required DateTime UpdatedAt { get; init; }
}

/// <summary>One product line, priced from the catalog when the order was placed.</summary>
public sealed record OrderItem
{
    public required int ProductId { get; init; }
    public required string ProductName { get; init; }
    public required decimal UnitPrice { get; init; }
    public required int Quantity { get; init; }
}
