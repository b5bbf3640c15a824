using System.Text;
using System.Text.RegularExpressions;

namespace MsaShop.Deployment.Tests.Pipelines;

/// <summary>
/// GitHub's on.&lt;event&gt;.paths: a changed file triggers the workflow when the last pattern that matches it
/// is not a negation ("!…"). Patterns use <c>*</c> (any characters but '/') and <c>**</c> (any characters);
/// the other glob characters are refused here rather than guessed at.
/// </summary>
internal sealed class PathFilter(IEnumerable<string> patterns)
{
    private readonly IReadOnlyList<(bool Include, Regex Pattern)> _patterns =
        [.. patterns.Select(pattern => pattern.StartsWith('!') ? (false, Compile(pattern[1..])) : (true, Compile(pattern)))];

    public bool Triggers(string changedFile) =>
        _patterns.LastOrDefault(pattern => pattern.Pattern.IsMatch(changedFile)) is { Include: true };

    /// <summary>Whether a change to any file in <paramref name="folder"/>, at any depth, triggers it.</summary>
    public bool CoversFolder(string folder) =>
        Triggers($"{folder}/Program.cs") && Triggers($"{folder}/Nested/Folder/Settings.json");

    /// <summary>Whether a change to some file in <paramref name="folder"/> triggers it.</summary>
    public bool TouchesFolder(string folder) =>
        Triggers($"{folder}/Program.cs") || Triggers($"{folder}/Nested/Folder/Settings.json");

    private static Regex Compile(string glob)
    {
        if (glob.IndexOfAny(['?', '+', '[', ']']) >= 0)
        {
            throw new NotSupportedException($"Path pattern '{glob}': only * and ** are understood here.");
        }

        var regex = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] != '*')
            {
                regex.Append(Regex.Escape(glob[i].ToString()));
            }
            else if (i + 1 < glob.Length && glob[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else
            {
                regex.Append("[^/]*");
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
