using System.Diagnostics;

namespace MsaShop.Harness;

/// <summary>
/// Remembers every server PID one <see cref="BackingServers"/> started, and runs a reaper that
/// kills them if this process dies without disposing it (a crashed or killed test host, a lost terminal).
/// </summary>
internal sealed class ProcessRegistry : IDisposable
{
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
    }

    public void Add(int pid)
    {
        lock (_gate)
        {
            _pids.Add(pid);
            Save();
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
                PosixCalls.Signal(pid, PosixCalls.SigKill);
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
