using System.Text.RegularExpressions;

namespace MsaShop.Deployment.Tests;

/// <summary>The docs point at files and lines that exist: a moved file or a shortened one breaks a link here first.</summary>
public sealed partial class DocumentationTests
{
    [Fact]
    public void Every_relative_link_in_the_docs_leads_to_a_file_of_the_repository()
    {
        var broken = Pages().SelectMany(page => RelativeLinks(page)
                .Where(target => !File.Exists(target.Path) && !Directory.Exists(target.Path))
                .Select(target => $"{Relative(page)}: {target.Link}"))
            .ToList();

        Assert.True(broken.Count == 0, $"links to nothing:\n{string.Join('\n', broken)}");
    }

    [Fact]
    public void Every_line_the_docs_point_at_is_in_its_file()
    {
        var pointers = Pages().SelectMany(page => RelativeLinks(page).Where(t => t.Line is not null).Select(t => (Page: page, Target: t)))
            .ToList();
        Assert.NotEmpty(pointers);

        var broken = pointers
            .Where(p =>
                !File.Exists(p.Target.Path)
                || File.ReadLines(p.Target.Path).ElementAtOrDefault(p.Target.Line!.Value - 1) is not { Length: > 0 })
            .Select(p => $"{Relative(p.Page)}: {p.Target.Link}")
            .ToList();

        Assert.True(broken.Count == 0, $"line pointers past their file's end or at an empty line:\n{string.Join('\n', broken)}");
    }

    [Fact]
    public void Every_test_a_doc_cites_exists()
    {
        var sources = SourceFiles("tests", "bench").Select(File.ReadAllText).ToList();
        var cited = Pages().SelectMany(page => CitedTest().Matches(File.ReadAllText(page))
            .Select(m => (Page: page, Class: m.Groups["class"].Value, Method: m.Groups["method"].Value))).ToList();
        Assert.NotEmpty(cited);

        var missing = cited.Where(c => !sources.Any(source =>
                source.Contains($"class {c.Class}", StringComparison.Ordinal) &&
                (c.Method == "*" || source.Contains($" {c.Method}(", StringComparison.Ordinal))))
            .Select(c => $"{Relative(c.Page)}: {c.Class}.{c.Method}")
            .Distinct()
            .ToList();

        Assert.True(missing.Count == 0, $"tests the docs name that do not exist:\n{string.Join('\n', missing)}");
    }

    [Fact]
    public void Every_repository_path_a_doc_cites_exists()
    {
        var cited = Pages().SelectMany(page => CitedPath().Matches(File.ReadAllText(page))
            .Select(m => (Page: page, Path: LineSuffix().Replace(m.Groups["path"].Value, "").TrimEnd('/', '.', ','))))
            .Where(c => !c.Path.Contains('*', StringComparison.Ordinal) && !c.Path.Contains('…', StringComparison.Ordinal)
                && !c.Path.Contains('{', StringComparison.Ordinal) && !c.Path.Contains('<', StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(cited);

        var missing = cited.Where(c =>
            !File.Exists(Path.Combine(RepositoryRoot.Path, c.Path)) && !Directory.Exists(Path.Combine(RepositoryRoot.Path, c.Path)))
            .Select(c => $"{Relative(c.Page)}: {c.Path}")
            .Distinct()
            .ToList();

        Assert.True(missing.Count == 0, $"paths the docs name that are not in the repository:\n{string.Join('\n', missing)}");
    }

    private static IEnumerable<string> SourceFiles(params string[] folders) =>
        folders.SelectMany(folder =>
            Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static IEnumerable<string> Pages() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "docs"), "*.md").Append(Path.Combine(RepositoryRoot.Path, "README.md"));

    private static IEnumerable<(string Link, string Path, int? Line)> RelativeLinks(string page)
    {
        var directory = Path.GetDirectoryName(page)!;
        foreach (Match match in MarkdownLink().Matches(File.ReadAllText(page)))
        {
            var link = match.Groups["target"].Value;
            if (link.Contains("://", StringComparison.Ordinal) || link.StartsWith('#')
                || link.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }
            var (file, anchor) = link.IndexOf('#') is var hash and >= 0 ? (link[..hash], link[(hash + 1)..]) : (link, "");
            int? line = LineAnchor().Match(anchor) is { Success: true } l
                ? int.Parse(l.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
                : null;
            yield return (link, Path.GetFullPath(Path.Combine(directory, Uri.UnescapeDataString(file))), line);
        }
    }

    private static string Relative(string page) => Path.GetRelativePath(RepositoryRoot.Path, page);

    // `SomethingTests.A_test_name` or `SomethingTests.*`, in code spans (optionally after "Project: ").
    [GeneratedRegex(@"`(?:[\w.]+: )?(?<class>[A-Z]\w*Tests)\.(?<method>\*|[A-Za-z0-9_]+)`")]
    private static partial Regex CitedTest();

    // A code span that starts with one of the repository's top-level folders.
    [GeneratedRegex(@"`(?<path>(?:AppHost|ServiceDefaults|services|gateway|tests|bench|eng|deploy|infra|docs|\.github|\.ci)/[^`\s]*)`")]
    private static partial Regex CitedPath();

    // services/Ordering/Saga/OrderSaga.cs:18 names a line of the file.
    [GeneratedRegex(@":\d+$")]
    private static partial Regex LineSuffix();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^L(\d+)$")]
    private static partial Regex LineAnchor();
}
