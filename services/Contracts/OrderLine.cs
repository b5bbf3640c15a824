namespace MsaShop.Contracts;

/// <summary>One line of an order as the other services see it.</summary>
public sealed record OrderLine(int ProductId, int Quantity);
