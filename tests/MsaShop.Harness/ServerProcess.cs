using System.Diagnostics;

namespace MsaShop.Harness;

/// <summary>One server (or service) process, its output in a log file, stopped by PID.</summary>
internal sealed class ServerProcess
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly ProcessRegistry _registry;
    private int _stopped;

    private ServerProcess(Process process, StreamWriter log, ProcessRegistry registry)
    {
        _process = process;
        _log = log;
        _registry = registry;
    }

    public int Pid => _process.Id;

    public bool HasExited => _stopped == 1 || _process.HasExited;

    public static ServerProcess Start(ProcessRegistry registry, ProcessStartInfo start, string logPath)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        registry.Add(process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, log, registry);
    }

    /// <summary>
    /// Sends <paramref name="signal"/>, waits up to <paramref name="grace"/>, then SIGKILLs what is left. Once stopped, a no-op.
    /// </summary>
    public async Task StopAsync(int signal, TimeSpan grace) => await EndAsync(() => PosixCalls.Signal(_process.Id, signal), grace);

    /// <summary>Kills without grace: for simulating a crash.</summary>
    public Task KillAsync() => StopAsync(PosixCalls.SigKill, TimeSpan.FromSeconds(10));

    /// <summary>SIGKILLs the process and every process it started, all at once: a crash of the whole server (a PostgreSQL
    /// whose backends outlived their postmaster would keep its shared memory, and the restart would refuse).</summary>
    public Task CrashAsync() => EndAsync(() => _process.Kill(entireProcessTree: true), TimeSpan.FromSeconds(10));

    private async Task EndAsync(Action end, TimeSpan grace)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        if (!_process.HasExited)
        {
            end();
            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _registry.Remove(_process.Id);
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            if (log.BaseStream.CanWrite)
            {
                log.WriteLine(line);
            }
        }
    }
}
