namespace MsaShop.LoadGeneration;

/// <summary>A run so far, reported about once a second.</summary>
public sealed record LoadProgress(TimeSpan Elapsed, long Started, long Finished, long Failed, long Dropped, TimeSpan P99)
{
    public long InFlight => Started - Finished;

    public override string ToString() =>
        $"{Elapsed.TotalSeconds,5:0}s  started {Started,7:N0}  done {Finished,7:N0}  in flight {InFlight,5:N0}  failed {Failed,5:N0}  " +
            $"dropped {Dropped,5:N0}  p99 {P99.TotalMilliseconds,8:N1} ms";
}
