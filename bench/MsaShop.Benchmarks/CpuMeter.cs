namespace MsaShop.Benchmarks;

/// <summary>The CPU time each named source spent from the meter's creation to <see cref="Read"/>.</summary>
internal sealed class CpuMeter
{
    private readonly IReadOnlyDictionary<string, Func<TimeSpan>> _sources;
    private readonly Dictionary<string, TimeSpan> _atStart;

    public CpuMeter(IReadOnlyDictionary<string, Func<TimeSpan>> sources)
    {
        _sources = sources;
        _atStart = sources.ToDictionary(s => s.Key, s => s.Value());
    }

    public IReadOnlyDictionary<string, TimeSpan> Read() => _sources.ToDictionary(s => s.Key, s => s.Value() - _atStart[s.Key]);
}
