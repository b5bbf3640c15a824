namespace MsaShop.Deployment.Tests;

/// <summary>
/// A ConfigMap volume laid out and updated the way the kubelet does it: the files live in a timestamped
/// directory, "..data" links to it and each key is a link through "..data"; an update writes a new
/// directory and swaps "..data" with one atomic rename. The key's own path never changes.
/// </summary>
internal sealed class ConfigMapVolume : IDisposable
{
    private const string DataLink = "..data";
    private int _version;

    public ConfigMapVolume(IReadOnlyDictionary<string, string> data)
    {
        Directory.CreateDirectory(Root);
        var first = WriteVersion(data);
        Directory.CreateSymbolicLink(Path.Combine(Root, DataLink), first);
        foreach (var key in data.Keys)
        {
            File.CreateSymbolicLink(Path.Combine(Root, key), Path.Combine(DataLink, key));
        }
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"msashop-configmap-{Guid.NewGuid():N}");

    public void Update(IReadOnlyDictionary<string, string> data)
    {
        var current = Directory.ResolveLinkTarget(Path.Combine(Root, DataLink), returnFinalTarget: false)!.FullName;
        var next = WriteVersion(data);
        var staged = Path.Combine(Root, "..data_tmp");
        Directory.CreateSymbolicLink(staged, next);
        if (Rename(staged, Path.Combine(Root, DataLink)) != 0)
        {
            throw new IOException($"rename({staged}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }

        Directory.Delete(current, recursive: true);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private string WriteVersion(IReadOnlyDictionary<string, string> data)
    {
        var directory = Path.Combine(Root, $"..{DateTime.UtcNow:yyyy_MM_dd_HH_mm_ss}.{++_version}");
        Directory.CreateDirectory(directory);
        foreach (var (key, content) in data)
        {
            File.WriteAllText(Path.Combine(directory, key), content);
        }

        return Path.GetFileName(directory);
    }

    // rename(2) replaces the "..data" link in one step, as the kubelet's os.Rename does; File.Move would
    // follow the link to its directory.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string oldPath, string newPath);
}
