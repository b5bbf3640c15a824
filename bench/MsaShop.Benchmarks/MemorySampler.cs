using MsaShop.Harness;

namespace MsaShop.Benchmarks;

/// <summary>Resident memory of each service instance: once at rest, and the peak over every sample taken under load.</summary>
internal sealed class MemorySampler(DeployedShop shop)
{
    private readonly Dictionary<string, long> _atRest = [];
    private readonly Dictionary<string, long> _peak = [];
    private readonly Lock _gate = new();

    public void RecordAtRest()
    {
        foreach (var process in shop.Processes)
        {
            _atRest[process.Name] = process.ResidentBytes ?? 0;
        }
    }

    public void Sample()
    {
        lock (_gate)
        {
            foreach (var process in shop.Processes)
            {
                _peak[process.Name] = Math.Max(_peak.GetValueOrDefault(process.Name), process.ResidentBytes ?? 0);
            }
        }
    }

    public IEnumerable<(string Name, double AtRestMb, double PeakMb)> Rows =>
        shop.Processes.Select(p => (p.Name, _atRest.GetValueOrDefault(p.Name) / 1048576.0, _peak.GetValueOrDefault(p.Name) / 1048576.0));
}
