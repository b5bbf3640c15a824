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
        var pointers = Pages().SelectMany(page => RelativeLinks(page).Where(t => t.Line is not null).Select(t => (Page: page, Target: t))).ToList();
        Assert.NotEmpty(pointers);

        var broken = pointers
            .Where(p => !File.Exists(p.Target.Path) || File.ReadLines(p.Target.Path).ElementAtOrDefault(p.Target.Line!.Value - 1) is not { Length: > 0 })
            .Select(p => $"{Relative(p.Page)}: {p.Target.Link}")
            .ToList();

        Assert.True(broken.Count == 0, $"line pointers past their file's end or at an empty line:\n{string.Join('\n', broken)}");
    }

    private static IEnumerable<string> Pages() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "docs"), "*.md").Append(Path.Combine(RepositoryRoot.Path, "README.md"));

    private static IEnumerable<(string Link, string Path, int? Line)> RelativeLinks(string page)
    {
        var directory = Path.GetDirectoryName(page)!;
        foreach (Match match in MarkdownLink().Matches(File.ReadAllText(page)))
        {
            var link = match.Groups["target"].Value;
            if (link.Contains("://", StringComparison.Ordinal) || link.StartsWith('#') || link.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }
            var (file, anchor) = link.IndexOf('#') is var hash and >= 0 ? (link[..hash], link[(hash + 1)..]) : (link, "");
            int? line = LineAnchor().Match(anchor) is { Success: true } l ? int.Parse(l.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
            yield return (link, Path.GetFullPath(Path.Combine(directory, Uri.UnescapeDataString(file))), line);
        }
    }

    private static string Relative(string page) => Path.GetRelativePath(RepositoryRoot.Path, page);

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^L(\d+)$")]
    private static partial Regex LineAnchor();
}
