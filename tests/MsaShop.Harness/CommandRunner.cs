using System.Diagnostics;

namespace MsaShop.Harness;

/// <summary>Runs a short-lived tool (initdb, rabbitmqctl) to completion and fails with its output.</summary>
internal static class CommandRunner
{
    public static async Task<string> RunAsync(ProcessStartInfo start, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}");
        }
        var output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{start.FileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:{Environment.NewLine}{output}");
        }
        return output;
    }

    /// <summary>Polls <paramref name="probe"/> until it is true, or fails naming the server and its log.</summary>
    public static async Task WaitUntilAsync(
        Func<Task<bool>> probe, string what, string logPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (!await probe())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"{what} did not become ready within {timeout}. Log {logPath}:{Environment.NewLine}{LogFile.Tail(logPath, 30)}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }
}
