namespace MsaShop.Contracts;

// Published by catalog in answer to OrderSubmitted.

public sealed record StockReserved(Guid OrderId);

public sealed record StockReservationFailed(Guid OrderId, string Reason);
