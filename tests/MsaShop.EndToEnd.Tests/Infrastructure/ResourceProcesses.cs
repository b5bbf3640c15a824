using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;

namespace MsaShop.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The operating-system processes behind a project resource. DCP starts a project as <c>dotnet run</c> (the
/// launcher, whose PID the resource reports) and the service is that launcher's child.
/// </summary>
public static class ResourceProcesses
{
    /// <summary>The PID DCP reports for the resource: its <c>dotnet run</c> launcher.</summary>
    public static int LauncherPid(ResourceEvent resource) =>
        resource.Snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is int pid
            ? pid
            : throw new InvalidOperationException($"{resource.ResourceId} reports no process id");

    /// <summary>The service process itself: the launcher's child named after <paramref name="assemblyName"/>.</summary>
    public static Process ServiceProcess(ResourceEvent resource, string assemblyName)
    {
        var launcher = LauncherPid(resource);
        foreach (var process in Process.GetProcessesByName(assemblyName))
        {
            if (ParentPid(process.Id) == launcher)
            {
                return process;
            }
            process.Dispose();
        }
        throw new InvalidOperationException($"no {assemblyName} process is a child of {resource.ResourceId}'s launcher (PID {launcher})");
    }

    // Field 4 of /proc/<pid>/stat; the fields after the parenthesised command name never contain spaces.
    private static int? ParentPid(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null; // it has exited meanwhile
        }
    }
}
