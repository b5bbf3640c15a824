using System.Globalization;

namespace MsaShop.LocalInfrastructure;

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
    public long? ResidentBytes
    {
        get
        {
            try
            {
                var line = File.ReadLines($"/proc/{Pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>CPU time used so far (user + system), from /proc/&lt;pid&gt;/stat; null once the process is gone.</summary>
    public TimeSpan? CpuTime
    {
        get
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{Pid}/stat");
                // Fields after the command name (which may hold spaces) start after its closing parenthesis.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                return TimeSpan.FromSeconds(ticks / (double)Native.ClockTicksPerSecond);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public Task StopAsync(TimeSpan? grace = null) => _process.StopAsync(Native.SigTerm, grace ?? TimeSpan.FromSeconds(10));

    /// <summary>SIGKILL: a crash.</summary>
    public Task KillAsync() => _process.KillAsync();
}
