using System.Diagnostics;

namespace MsaShop.LocalInfrastructure;

/// <summary>
/// Remembers every server PID one <see cref="LocalInfrastructure"/> started, and runs a reaper that
/// kills them if this process dies without disposing it (a crashed or killed test host, a lost terminal).
/// </summary>
internal sealed class ProcessRegistry : IDisposable
{
    /// <summary>When set, every started PID is appended there too, so a script can check nothing outlived the run.</summary>
    public const string PidLogVariable = "MSASHOP_INFRA_PIDLOG";

    private readonly string _pidFile;
    private readonly Process _reaper;
    private readonly Lock _gate = new();
    private readonly HashSet<int> _pids = [];

    public ProcessRegistry(string directory)
    {
        _pidFile = Path.Combine(directory, "pids");
        File.WriteAllText(_pidFile, "");
        // The reaper polls for our PID; once it is gone it kills whatever the PID file lists.
        var script = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; kill -KILL $(cat \"$2\") 2>/dev/null";
        _reaper = Process.Start(new ProcessStartInfo("sh", ["-c", script, "msashop-infra-reaper",
            Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), _pidFile])
        {
            UseShellExecute = false,
        })!;
        LogStarted(_reaper.Id, "reaper");
    }

    public void Add(int pid, string name)
    {
        lock (_gate)
        {
            _pids.Add(pid);
            Save();
        }
        LogStarted(pid, name);
    }

    /// <summary>Appends "pid start-time name" to the PID log: PID and start time together name one process, even if the PID is reused.</summary>
    private static void LogStarted(int pid, string name)
    {
        if (Environment.GetEnvironmentVariable(PidLogVariable) is { Length: > 0 } log)
        {
            File.AppendAllText(log, $"{pid} {StartTime(pid)} {name}{Environment.NewLine}");
        }
    }

    // Field 22 of /proc/<pid>/stat; the fields after the parenthesised command name never contain spaces.
    private static string StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public void Remove(int pid)
    {
        lock (_gate)
        {
            _pids.Remove(pid);
            Save();
        }
    }

    /// <summary>Last resort: SIGKILL everything still registered.</summary>
    public void KillAll()
    {
        lock (_gate)
        {
            foreach (var pid in _pids)
            {
                Native.Signal(pid, Native.SigKill);
            }
        }
    }

    public void Dispose()
    {
        if (!_reaper.HasExited)
        {
            _reaper.Kill();
            _reaper.WaitForExit();
        }
        _reaper.Dispose();
    }

    private void Save() => File.WriteAllText(_pidFile, string.Join(' ', _pids));
}
