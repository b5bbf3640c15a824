using MsaShop.Chaos.Shop;

namespace MsaShop.Chaos.Scenarios;

/// <summary>
/// One fault, injected while the load runs: <see cref="InjectAsync"/> breaks something, <see cref="Hold"/> later
/// <see cref="HealAsync"/> brings it back (and returns once it answers again).
/// </summary>
public sealed record ChaosScenario(
    int Number, string Name, string Fault, TimeSpan Hold,
    Func<ChaosShop, CancellationToken, Task> InjectAsync,
    Func<ChaosShop, CancellationToken, Task> HealAsync);
