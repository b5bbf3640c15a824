namespace MsaShop.Contracts;

/// <summary>
/// Why an order ended Cancelled: the values of <see cref="OrderCancelled.Reason"/> and the order's failureReason.
/// The first three are catalog's answers (<see cref="StockReservationFailed.Reason"/>), passed on unchanged.
/// </summary>
public static class CancellationReasons
{
    /// <summary>A product had fewer units than the order asked for.</summary>
    public const string OutOfStock = "OutOfStock";

    /// <summary>A product of the order does not exist (any more).</summary>
    public const string UnknownProduct = "UnknownProduct";

    /// <summary>The order had no lines, or a quantity the catalog cannot reserve.</summary>
    public const string InvalidQuantity = "InvalidQuantity";

    public const string PaymentDeclined = "PaymentDeclined";
    public const string TimedOut = "TimedOut";

    /// <summary>Catalog holds stock for an order ordering has no record of (e.g. its database was restored from a backup).</summary>
    public const string UnknownOrder = "UnknownOrder";
}
