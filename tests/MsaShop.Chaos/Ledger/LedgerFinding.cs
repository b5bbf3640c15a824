namespace MsaShop.Chaos.Ledger;

/// <summary>One promise of the ledger and whether it held, with what was seen.</summary>
public sealed record LedgerFinding(string Promise, bool Held, string Seen)
{
    public override string ToString() => $"{(Held ? "ok  " : "FAIL")} {Promise}: {Seen}";
}
