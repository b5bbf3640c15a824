using System.Text.RegularExpressions;

namespace MsaShop.EndToEnd.Tests.HttpFiles;

/// <summary>One request of a <c>.http</c> file; <see cref="ExpectedStatus"/> is the "→ NNN" its title names.</summary>
public sealed record HttpFileRequest(
    string Title, string? Name, string Method, string Url, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body)
{
    public int? ExpectedStatus => Regex.Match(Title, @"→\s*(\d{3})") is { Success: true } match ? int.Parse(match.Groups[1].Value) : null;
}

/// <summary>
/// A <c>.http</c> file as the VS Code REST Client and Visual Studio read it: <c>@name = value</c> variables,
/// requests separated by <c>###</c> lines (their text is the title), <c># @name</c> naming a request, comment
/// lines (<c>#</c>, <c>//</c>), the request line, headers, a blank line and the body.
/// </summary>
public sealed partial class HttpFile
{
    public required IReadOnlyDictionary<string, string> Variables { get; init; }

    public required IReadOnlyList<HttpFileRequest> Requests { get; init; }

    public static HttpFile Parse(string text)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var requests = new List<HttpFileRequest>();
        var blocks = new List<(string Title, List<string> Lines)> { ("", []) };
        foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("###", StringComparison.Ordinal))
            {
                // Consecutive ### lines before a request are one title.
                var title = line[3..].Trim();
                if (blocks[^1].Lines.All(IsCommentOrBlank) && blocks.Count > 1)
                {
                    blocks[^1] = ((blocks[^1].Title + " " + title).Trim(), blocks[^1].Lines);
                }
                else
                {
                    blocks.Add((title, []));
                }
                continue;
            }
            blocks[^1].Lines.Add(line);
        }

        foreach (var (title, lines) in blocks)
        {
            string? name = null;
            var index = 0;
            for (; index < lines.Count && (IsCommentOrBlank(lines[index]) || IsVariable(lines[index])); index++)
            {
                if (VariableLine().Match(lines[index]) is { Success: true } variable)
                {
                    variables[variable.Groups[1].Value] = variable.Groups[2].Value.Trim();
                }
                else if (NameLine().Match(lines[index]) is { Success: true } named)
                {
                    name = named.Groups[1].Value;
                }
            }
            if (index == lines.Count)
            {
                continue;
            }

            var requestLine = lines[index++].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var headers = new List<KeyValuePair<string, string>>();
            for (; index < lines.Count && lines[index].Trim().Length > 0; index++)
            {
                var colon = lines[index].IndexOf(':', StringComparison.Ordinal);
                headers.Add(new(lines[index][..colon].Trim(), lines[index][(colon + 1)..].Trim()));
            }
            var body = string.Join('\n', lines.Skip(index).SkipWhile(l => l.Trim().Length == 0)).TrimEnd();
            requests.Add(new HttpFileRequest(title, name, requestLine[0], requestLine[1], headers, body.Length > 0 ? body : null));
        }
        return new HttpFile { Variables = variables, Requests = requests };
    }

    private static bool IsCommentOrBlank(string line) =>
        line.Trim().Length == 0 || line.TrimStart().StartsWith('#') || line.TrimStart().StartsWith("//", StringComparison.Ordinal);

    private static bool IsVariable(string line) => VariableLine().IsMatch(line);

    [GeneratedRegex(@"^@([A-Za-z0-9_]+)\s*=\s*(.*)$")]
    private static partial Regex VariableLine();

    [GeneratedRegex(@"^\s*(?:#|//)\s*@name\s+(\S+)")]
    private static partial Regex NameLine();
}
