namespace MsaShop.Benchmarks;

/// <summary>
/// One operation to time, called by <paramref name="Callers"/> concurrent callers; the argument is the
/// operation's index within its round (0, 1, 2, ...), e.g. to pick which item to read.
/// </summary>
public sealed record BenchmarkCase(string Name, Func<int, CancellationToken, Task> Operation, int Callers = 1);

/// <summary>How many operations warm a case up, and how many rounds of how many operations measure it.</summary>
public sealed record Rounds(int Warmup, int Count, int OperationsPerRound);
