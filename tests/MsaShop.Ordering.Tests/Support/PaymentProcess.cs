using System.Diagnostics;

namespace MsaShop.Tests.Support;

/// <summary>
/// The payment service as a real operating-system process (<c>dotnet MsaShop.Payment.dll</c>), so a test can
/// SIGKILL it mid-flight: no shutdown hook, no flush, exactly like a crashed container.
/// </summary>
public sealed class PaymentProcess : IDisposable
{
    private readonly Process _process;

    private PaymentProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public static PaymentProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "MsaShop.Payment.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        // Drain the pipes so the child never blocks on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PaymentProcess(process);
    }

    /// <summary>SIGSTOP: the process stops where it stands, its connections left open, as in a long pause of its machine.</summary>
    public void Freeze() => Signal("STOP");

    /// <summary>SIGCONT: a frozen process runs on.</summary>
    public void Thaw() => Signal("CONT");

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    private void Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("kill did not start");
        kill.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
