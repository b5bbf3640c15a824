namespace MsaShop.LoadGeneration;

/// <summary>A product whose stock did not move by exactly the completed quantities.</summary>
public sealed record StockMismatch(int ProductId, int Before, int Expected, int? Actual);

/// <summary>An order whose payment disagrees with its state: completed but not charged, or charged but not completed.</summary>
/// <summary>
/// When an accepted order was created and when it ended (its last change, once terminal; null if it never did), by the shop's clock.
/// </summary>
public sealed record OrderLifetime(DateTime CreatedAt, DateTime? EndedAt, bool Completed)
{
    /// <summary>Created by <paramref name="moment"/> and not ended by then: part of the backlog at that moment.</summary>
    public bool InFlightAt(DateTime moment) => CreatedAt <= moment && (EndedAt is not { } ended || ended > moment);
}

public sealed record ChargeMismatch(Guid OrderId, string OrderStatus, string? PaymentStatus);

/// <summary>
/// The books after a run: every accepted order terminal, charged exactly when completed, stock moved by exactly the
/// completed quantities. <see cref="Balanced"/> is the verdict.
/// </summary>
public sealed record LedgerReport
{
    public int Requested { get; init; }
    public int Accepted { get; init; }
    public int Rejected { get; init; }

    /// <summary>Refused with Retry-After (the shop shedding load) every time it was sent: certain not to have been taken.</summary>
    public int Refused { get; init; }

    /// <summary>Sent, answered by nothing certain, and still uncertain after replaying its Idempotency-Key.</summary>
    public int Unresolved { get; init; }

    /// <summary>Uncertain when sent, settled by replaying the same key and body.</summary>
    public int ResolvedByReplay { get; init; }

    public int Completed { get; init; }

    /// <summary>Cancelled orders by failure reason.</summary>
    public IReadOnlyDictionary<string, int> Cancelled { get; init; } = new Dictionary<string, int>();

    /// <summary>Accepted (202) but unknown to the shop afterwards.</summary>
    public IReadOnlyList<Guid> Lost { get; init; } = [];

    /// <summary>Accepted but not terminal when the settle timeout ran out.</summary>
    public IReadOnlyList<Guid> Stuck { get; init; } = [];

    /// <summary>Orders whose customer or lines are not what was sent.</summary>
    public IReadOnlyList<Guid> Altered { get; init; } = [];

    /// <summary>Null when charges were not compared (no payment lookup given).</summary>
    public int? SuccessfulCharges { get; init; }

    public IReadOnlyList<ChargeMismatch> ChargeMismatches { get; init; } = [];

    public IReadOnlyList<StockMismatch> StockMismatches { get; init; } = [];

    /// <summary>Server time from an order's creation to its last change, for completed orders: submit → Completed.</summary>
    public LatencyHistogram SubmitToCompleted { get; init; } = new();

    /// <summary>Every accepted order's creation and end, for what completed while the load ran and the backlog it left.</summary>
    public IReadOnlyList<OrderLifetime> Lifetimes { get; init; } = [];

    public bool Balanced => Unresolved == 0 && Lost.Count == 0 && Stuck.Count == 0 && Altered.Count == 0
        && ChargeMismatches.Count == 0 && StockMismatches.Count == 0;

    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var cancelled = Cancelled.Count == 0
            ? "0"
            : $"{Cancelled.Values.Sum()} ({string.Join(", ", Cancelled.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))})";
        writer.WriteLine($"ledger: {(Balanced ? "BALANCED" : "NOT BALANCED")} — {Requested:N0} orders sent, {Accepted:N0} accepted " +
            $"({ResolvedByReplay} settled by replaying their key), {Rejected:N0} rejected, {Refused:N0} refused (overload); completed " +
            $"{Completed:N0}, cancelled {cancelled}");
        writer.WriteLine($"        lost {Lost.Count}, stuck {Stuck.Count}, unresolved {Unresolved}, altered {Altered.Count}; " +
            (SuccessfulCharges is { } charges
                ? $"successful charges {charges:N0} (= completed: {(charges == Completed ? "yes" : "NO")}), " +
                    $"charge mismatches {ChargeMismatches.Count}; "
                : "charges not compared (no payment address); ") +
            $"stock mismatches {StockMismatches.Count}");
        if (SubmitToCompleted.Count > 0)
        {
            writer.WriteLine($"        submit → Completed (server clock): p50 " +
                $"{LoadReport.Ms(SubmitToCompleted.PercentileMicroseconds(50))} ms, p99 " +
                $"{LoadReport.Ms(SubmitToCompleted.PercentileMicroseconds(99))} ms, max " +
                $"{LoadReport.Ms(SubmitToCompleted.MaxMicroseconds)} ms");
        }
        foreach (var id in Lost.Take(5)) writer.WriteLine($"        lost: {id}");
        foreach (var id in Stuck.Take(5)) writer.WriteLine($"        stuck: {id}");
        foreach (var id in Altered.Take(5)) writer.WriteLine($"        altered: {id}");
        foreach (var m in ChargeMismatches.Take(5)) writer.WriteLine(
            $"        charge: order {m.OrderId} is {m.OrderStatus}, its payment {m.PaymentStatus ?? "absent"}");
        foreach (var m in StockMismatches.Take(5)) writer.WriteLine(
            $"        stock: product {m.ProductId} was {m.Before}, expected {m.Expected}, is {m.Actual?.ToString() ?? "absent"}");
    }
}
