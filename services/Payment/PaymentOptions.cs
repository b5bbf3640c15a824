namespace MsaShop.Payment;

/// <summary>Configuration section <c>Payment</c>.</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Payment";

    /// <summary>
    /// How far payment's clock may be behind ordering's database clock, whose time PaymentRequested's deadline is in:
    /// payment charges nothing once its own clock is within this of the deadline, so a slow clock never charges an
    /// order that ordering has given up on. NTP keeps servers' clocks within milliseconds of each other.
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(1);
}
