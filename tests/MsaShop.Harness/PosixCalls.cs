using System.Runtime.InteropServices;

namespace MsaShop.Harness;

/// <summary>The few POSIX calls .NET does not expose: signals by PID, ownership, effective user, clock ticks.</summary>
internal static partial class PosixCalls
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigInt = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SysChown(string path, int owner, int group);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint SysGetEuid();

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);

    private const int ScClockTicks = 2;

    public static bool IsRoot => SysGetEuid() == 0;

    /// <summary>The unit of CPU times in /proc (sysconf(_SC_CLK_TCK)).</summary>
    public static long ClockTicksPerSecond { get; } = SysConf(ScClockTicks);

    /// <summary>Sends a signal; false when the process no longer exists.</summary>
    public static bool Signal(int pid, int signal) => SysKill(pid, signal) == 0;

    public static bool IsAlive(int pid) => SysKill(pid, 0) == 0;

    public static void Chown(string path, (int Uid, int Gid) owner)
    {
        if (SysChown(path, owner.Uid, owner.Gid) != 0)
        {
            throw new IOException($"chown {path} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>Looks a user up in /etc/passwd.</summary>
    public static (int Uid, int Gid) LookupUser(string name)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 3 && fields[0] == name)
            {
                return (int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture),
                        int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        throw new InvalidOperationException($"user '{name}' does not exist (the postgresql package creates it)");
    }
}
