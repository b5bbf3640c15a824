namespace MsaShop.Deployment.Tests;

/// <summary>The C# sources read without sideways scrolling: no line is longer than <see cref="MaxLineLength"/> characters.</summary>
public sealed class SourceLayoutTests
{
    private const int MaxLineLength = 140;

    [Fact]
    public void No_line_of_the_csharp_sources_is_longer_than_140_characters()
    {
        var tooLong = SourceFiles()
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (File: Relative(file), Number: index + 1, Line: line)))
            .Where(l => l.Line.Length > MaxLineLength)
            .Select(l => $"{l.File}:{l.Number} ({l.Line.Length} characters)")
            .ToList();

        Assert.True(tooLong.Count == 0, $"lines over {MaxLineLength} characters:\n{string.Join('\n', tooLong)}");
    }

    private static IEnumerable<string> SourceFiles() => CSharpFilesBelow(RepositoryRoot.Path);

    // Build output and hidden folders are not walked at all.
    private static IEnumerable<string> CSharpFilesBelow(string directory) =>
        Directory.EnumerateFiles(directory, "*.cs")
            .Concat(Directory.EnumerateDirectories(directory)
                .Where(folder => Path.GetFileName(folder) is not ("bin" or "obj" or "node_modules")
                    && !Path.GetFileName(folder).StartsWith('.'))
                .SelectMany(CSharpFilesBelow));

    private static string Relative(string file) => Path.GetRelativePath(RepositoryRoot.Path, file);
}
