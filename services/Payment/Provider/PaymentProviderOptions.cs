namespace MsaShop.Payment.Provider;

/// <summary>Configuration section <c>Payment:Provider</c>: the simulated provider's behaviour and how hard we retry it.</summary>
public sealed class PaymentProviderOptions
{
    public const string SectionName = "Payment:Provider";

    /// <summary>How long each provider call takes.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Fraction (0..1) of provider calls that fail transiently; for demos and fault tests.</summary>
    public double TransientFailureRate { get; set; }

    /// <summary>Retries of a transiently failed call before the message goes back to the broker's retry.</summary>
    public int MaxRetryAttempts { get; set; } = 5;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
