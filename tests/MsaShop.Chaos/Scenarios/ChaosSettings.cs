using MsaShop.LoadGeneration;

namespace MsaShop.Chaos.Scenarios;

/// <summary>How each scenario is driven: the steady load around the fault, and the bound on recovery.</summary>
public sealed record ChaosSettings
{
    /// <summary>Arrivals per second, half of them orders (<see cref="Mix"/>): modest, so a busy two-core machine keeps up.</summary>
    public double Rate { get; init; } = 40;

    /// <summary>Orders and cached item reads, one to one: the saga and the read path both under load.</summary>
    public OperationMix Mix { get; init; } = new(Browse: 0, Search: 0, ReadItem: 1, PlaceOrder: 1);

    /// <summary>The same load once before the first scenario, without a fault: a fresh shop (JIT, pools) is slow for its
    /// first minute on two cores, which the first scenario would otherwise be blamed for.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Steady load before the fault.</summary>
    public TimeSpan Before { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Load after the fault's hold: the heal (a restart) and the shop's recovery happen in it.</summary>
    public TimeSpan After { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>The promise: every accepted order is Completed or Cancelled, every outbox drained, within this after the heal.</summary>
    public TimeSpan RecoveryBound { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Units added to each ordered product before the first scenario, so orders are not cancelled for want of stock.</summary>
    public int Restock { get; init; } = 1_000_000;
}
