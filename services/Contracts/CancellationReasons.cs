namespace MsaShop.Contracts;

/// <summary>Why an order ended Cancelled: the values of <see cref="OrderCancelled.Reason"/> and the order's failureReason.</summary>
public static class CancellationReasons
{
    public const string OutOfStock = "OutOfStock";
    public const string PaymentDeclined = "PaymentDeclined";
    public const string TimedOut = "TimedOut";
}
