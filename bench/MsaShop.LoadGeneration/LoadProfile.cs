namespace MsaShop.LoadGeneration;

/// <summary>
/// What to offer the shop: <see cref="Rate"/> arrivals per second for <see cref="Duration"/>, whatever the shop
/// answers (open loop). Both are required and bounded: a load generator must never run without limits.
/// </summary>
public sealed record LoadProfile
{
    public const double MaxRate = 20_000;

    // Tokens are minted once per run and are valid for an hour.
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(50);

    public LoadProfile(double rate, TimeSpan duration)
    {
        if (!(rate > 0 && rate <= MaxRate))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"The rate must be above 0 and at most {MaxRate:N0} per second.");
        }
        if (duration <= TimeSpan.Zero || duration > MaxDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration,
                $"The duration must be above 0 and at most {MaxDuration.TotalMinutes:0} minutes.");
        }
        Rate = rate;
        Duration = duration;
    }

    /// <summary>Arrivals per second.</summary>
    public double Rate { get; }

    public TimeSpan Duration { get; }

    public OperationMix Mix { get; init; } = OperationMix.Shopping;

    /// <summary>How many customers place the orders (each order is one of them at random).</summary>
    public int Customers { get; init; } = 100;

    /// <summary>Share of orders paid with a declining token (tok_decline…), in [0, 1].</summary>
    public double DeclineShare { get; init; } = 0.05;

    /// <summary>Arrivals are evenly spaced when false; a Poisson process (random gaps, same mean) when true.</summary>
    public bool Poisson { get; init; }

    /// <summary>
    /// Requests allowed in flight at once; an arrival beyond it is counted as dropped, never queued, so memory stays bounded.
    /// </summary>
    public int MaxInFlight { get; init; } = 4_096;

    /// <summary>
    /// Times an order refused with Retry-After (the shop's load shedding, or a rate limit) is sent again after the wait it
    /// asks for, as a well-behaved client does; after that it counts as refused.
    /// </summary>
    public int RetriesAfterRefusal { get; init; } = 2;

    /// <summary>Each request's own limit; one that takes longer counts as a timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Seeds the choice of operations, products and customers, so a run can be repeated.</summary>
    public int Seed { get; init; } = 11;

    /// <summary>How many arrivals the run offers.</summary>
    public long Arrivals => (long)Math.Floor(Rate * Duration.TotalSeconds);
}
