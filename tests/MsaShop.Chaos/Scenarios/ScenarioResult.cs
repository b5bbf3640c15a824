using MsaShop.Chaos.Ledger;
using MsaShop.Chaos.Report;
using MsaShop.LoadGeneration;

namespace MsaShop.Chaos.Scenarios;

/// <summary>One scenario's outcome: the load's figures during the fault, how long recovery took, and the books.</summary>
public sealed record ScenarioResult(
    ChaosScenario Scenario,
    int OrdersSent,
    int OrdersAccepted,
    IReadOnlyList<FaultFigures> DuringFault,
    TimeSpan FaultLasted,
    TimeSpan? ErrorsAfterHeal,
    TimeSpan? CaughtUpAfterLoad,
    string ResilienceEvents,
    LedgerReport Ledger,
    IReadOnlyList<LedgerFinding> Findings,
    ScenarioTimeline Timeline)
{
    public bool Passed => CaughtUpAfterLoad is not null && Ledger.Balanced && Findings.All(f => f.Held);

    public void WriteTo(TextWriter writer)
    {
        writer.WriteLine($"--- {Scenario.Number}. {Scenario.Name}: {(Passed ? "PASSED" : "FAILED")}");
        writer.WriteLine($"    fault: {Scenario.Fault}; it lasted {FaultLasted.TotalSeconds:N1} s from injection to healed");
        writer.WriteLine($"    orders sent {OrdersSent}, accepted {OrdersAccepted}");
        foreach (var figures in DuringFault)
        {
            writer.WriteLine($"    during the fault, {figures}");
        }
        var errorsEnded = ErrorsAfterHeal is { } errors
            ? $"last failed request {errors.TotalSeconds:N1} s after the heal"
            : "no failed request after the heal";
        var settled = CaughtUpAfterLoad is { } caught
            ? $"every order ended and every outbox drained {caught.TotalSeconds:N1} s after the load stopped"
            : "orders or outboxes NOT settled within the bound";
        writer.WriteLine($"    recovery: {errorsEnded}; {settled}");
        if (ResilienceEvents.Length > 0)
        {
            writer.WriteLine($"    ordering's resilience events: {ResilienceEvents}");
        }
        Ledger.WriteTo(writer);
        foreach (var finding in Findings)
        {
            writer.WriteLine($"        {finding}");
        }
    }
}
