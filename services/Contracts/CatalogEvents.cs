namespace MsaShop.Contracts;

// Published by catalog in answer to OrderSubmitted.

/// <summary>The order's stock is held. Catalog's reconciliation announces it again for a reservation that waits too
/// long for the order's end; ordering answers with OrderCompleted or OrderCancelled (docs/saga.md).</summary>
public sealed record StockReserved(Guid OrderId);

/// <summary>Nothing was reserved; <paramref name="Reason"/> is one of <see cref="CancellationReasons"/>' stock reasons.</summary>
public sealed record StockReservationFailed(Guid OrderId, string Reason);
