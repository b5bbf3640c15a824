namespace MsaShop.LoadGeneration;

public sealed record LedgerCheckOptions
{
    /// <summary>How long orders, payments and stock may take to settle after the load before what is left counts as stuck.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Requests the check makes at once.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>The payment service's lookup; without it, charges are not compared (the gateway has no route to payment).</summary>
    public PaymentLedger? Payments { get; init; }
}
