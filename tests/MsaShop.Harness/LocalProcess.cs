namespace MsaShop.Harness;

/// <summary>A process started beside the servers (an MsaShop service), under the same reaper: stopped by PID.</summary>
public sealed class LocalProcess
{
    private readonly ServerProcess _process;

    internal LocalProcess(string name, ServerProcess process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
    }

    public string Name { get; }

    public int Pid => _process.Pid;

    public bool HasExited => _process.HasExited;

    /// <summary>Standard output and error, as written.</summary>
    public string LogPath { get; }

    /// <summary>Resident set size now (VmRSS), in bytes; null once the process is gone.</summary>
    public long? ResidentBytes => ProcessStatistics.ResidentBytes(Pid);

    /// <summary>CPU time used so far (user + system); null once the process is gone.</summary>
    public TimeSpan? CpuTime => ProcessStatistics.CpuTime(Pid);

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public Task StopAsync(TimeSpan? grace = null) => _process.StopAsync(PosixCalls.SigTerm, grace ?? TimeSpan.FromSeconds(10));

    /// <summary>SIGKILL: a crash.</summary>
    public Task KillAsync() => _process.KillAsync();
}
