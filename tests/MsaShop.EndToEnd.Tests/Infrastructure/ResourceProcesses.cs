using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;

namespace MsaShop.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The operating-system process behind a project resource. The AppHost starts each service from its build (not through
/// <c>dotnet run</c>), so the process DCP reports for the resource is the service itself.
/// </summary>
public static class ResourceProcesses
{
    /// <summary>The service process: the one DCP reports for the resource, checked to run <paramref name="assemblyName"/>.</summary>
    public static Process ServiceProcess(ResourceEvent resource, string assemblyName)
    {
        if (resource.Snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is not int pid)
        {
            throw new InvalidOperationException($"{resource.ResourceId} reports no process id");
        }
        var executable = new FileInfo($"/proc/{pid}/exe").LinkTarget;
        if (Path.GetFileName(executable) != assemblyName)
        {
            throw new InvalidOperationException($"{resource.ResourceId}'s process {pid} runs {executable}, not {assemblyName}");
        }
        return Process.GetProcessById(pid);
    }
}
