namespace MsaShop.Harness;

/// <summary>Reads what a server or service wrote, for failure messages.</summary>
internal static class LogFile
{
    /// <summary>The last <paramref name="lines"/> lines; the writer may still hold the file open.</summary>
    public static string Tail(string path, int lines = 40)
    {
        if (!File.Exists(path))
        {
            return "(no output)";
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var tail = new Queue<string>();
        while (reader.ReadLine() is { } line)
        {
            if (tail.Count == lines)
            {
                tail.Dequeue();
            }
            tail.Enqueue(line);
        }
        return string.Join(Environment.NewLine, tail);
    }
}
