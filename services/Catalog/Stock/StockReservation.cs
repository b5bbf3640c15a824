namespace MsaShop.Catalog.Stock;

/// <summary>The states of a row in stock_reservations: one per order the catalog has heard of.</summary>
public static class ReservationStatus
{
    /// <summary>Every line's stock is held for the order.</summary>
    public const string Reserved = "reserved";

    /// <summary>Nothing was held: an unknown product or too little stock.</summary>
    public const string Rejected = "rejected";

    /// <summary>The order was cancelled; whatever was held went back on the shelf.</summary>
    public const string Released = "released";

    /// <summary>The order was paid: the held stock is sold.</summary>
    public const string Committed = "committed";
}

/// <summary>Why a reservation was rejected: the <c>Reason</c> of StockReservationFailed, which ordering shows the customer.</summary>
public static class RejectionReasons
{
    public const string OutOfStock = MsaShop.Contracts.CancellationReasons.OutOfStock;
    public const string UnknownProduct = MsaShop.Contracts.CancellationReasons.UnknownProduct;
    public const string InvalidQuantity = MsaShop.Contracts.CancellationReasons.InvalidQuantity;
}

/// <summary>Where an order's reservation stands after a ledger operation, and whose stock it changed.</summary>
public sealed record StockReservation(string Status, string? Reason, IReadOnlyList<int> ChangedProductIds);
