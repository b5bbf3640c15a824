namespace MsaShop.Deployment.Tests;

/// <summary>The C# sources read without sideways scrolling: no line is longer than <see cref="MaxLineLength"/> characters.</summary>
public sealed class SourceLayoutTests
{
    private const int MaxLineLength = 140;

    // Folders whose lines are not wrapped yet; each one leaves this list once it is.
    private static readonly string[] NotYetChecked =
        ["eng", Path.Combine("bench", "MsaShop.Chaos"), Path.Combine("tests", "MsaShop.LocalInfrastructure.Tests")];

    // Test methods whose names the docs cite and which cannot be wrapped: their declarations may run past the limit.
    private static readonly (string File, string Method)[] Exempt =
    [
        (Path.Combine("tests", "MsaShop.Messaging.Tests", "OutboxPoisonRowTests.cs"),
            "Row_that_can_never_be_published_is_set_aside_after_its_attempts_with_its_error_and_a_metric_and_the_rows_after_it_go_out"),
    ];

    [Fact]
    public void No_line_of_the_csharp_sources_is_longer_than_140_characters()
    {
        var tooLong = SourceFiles()
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (File: Relative(file), Number: index + 1, Line: line)))
            .Where(l => l.Line.Length > MaxLineLength && !IsExempt(l.File, l.Line))
            .Select(l => $"{l.File}:{l.Number} ({l.Line.Length} characters)")
            .ToList();

        Assert.True(tooLong.Count == 0, $"lines over {MaxLineLength} characters:\n{string.Join('\n', tooLong)}");
    }

    [Fact]
    public void Every_exempt_line_is_still_in_its_file()
    {
        var gone = Exempt
            .Where(e => !File.ReadLines(RepositoryRoot.Combine(e.File)).Any(line => IsExempt(e.File, line)))
            .Select(e => $"{e.File}: {e.Method}")
            .ToList();

        Assert.True(gone.Count == 0, $"exempt lines that are not in their file any more:\n{string.Join('\n', gone)}");
    }

    private static IEnumerable<string> SourceFiles() => CSharpFilesBelow(RepositoryRoot.Path);

    // Build output, hidden folders and the folders not checked yet are not walked at all.
    private static IEnumerable<string> CSharpFilesBelow(string directory) =>
        Directory.EnumerateFiles(directory, "*.cs")
            .Concat(Directory.EnumerateDirectories(directory)
                .Where(folder => Path.GetFileName(folder) is not ("bin" or "obj" or "node_modules")
                    && !Path.GetFileName(folder).StartsWith('.')
                    && !NotYetChecked.Contains(Relative(folder)))
                .SelectMany(CSharpFilesBelow));

    private static bool IsExempt(string file, string line) =>
        Exempt.Any(e => e.File == file && line.Contains($" {e.Method}(", StringComparison.Ordinal));

    private static string Relative(string file) => Path.GetRelativePath(RepositoryRoot.Path, file);
}
