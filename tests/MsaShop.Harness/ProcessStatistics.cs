using System.Globalization;

namespace MsaShop.Harness;

/// <summary>What /proc says about a process: CPU time, resident memory, children. Null or zero once it is gone.</summary>
public static class ProcessStatistics
{
    /// <summary>User + system CPU time of the process itself.</summary>
    public static TimeSpan? CpuTime(int pid) => Stat(pid) is { } fields ? Ticks(fields, 11) + Ticks(fields, 12) : null;

    /// <summary>
    /// CPU time of the process and its live descendants, each with the children it has already reaped (a PostgreSQL
    /// server's backends come and go): what the whole server has cost. A live child is in no one's reaped time yet.
    /// </summary>
    public static TimeSpan TreeCpuTime(int pid)
    {
        if (Stat(pid) is not { } fields)
        {
            return TimeSpan.Zero;
        }
        var total = Ticks(fields, 11) + Ticks(fields, 12) + Ticks(fields, 13) + Ticks(fields, 14);
        foreach (var child in Children(pid))
        {
            total += TreeCpuTime(child);
        }
        return total;
    }

    /// <summary>VmRSS in bytes.</summary>
    public static long? ResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null
                ? null
                : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The live children of a process.</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate)
                && Stat(candidate) is { } fields
                && fields[1] == pid.ToString(CultureInfo.InvariantCulture))
            {
                children.Add(candidate);
            }
        }
        return children;
    }

    private static TimeSpan Ticks(string[] fields, int index) =>
        TimeSpan.FromSeconds(long.Parse(fields[index], CultureInfo.InvariantCulture) / (double)PosixCalls.ClockTicksPerSecond);

    // The fields after the command name (which may hold spaces and parentheses): [0] is the state, [1] the parent's PID.
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
