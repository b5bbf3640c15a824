namespace MsaShop.Deployment.Tests;

/// <summary>
/// The scripts keep to their folders: every script in eng/ is one a user runs, listed in README.md's Scripts table;
/// what they source or call (eng/lib/, eng/containers/) says in its first comment line whether it is a helper.
/// </summary>
public sealed class ScriptLayoutTests
{
    private static readonly string Readme = File.ReadAllText(RepositoryRoot.Combine("README.md"));

    [Fact]
    public void Every_script_in_eng_is_an_entry_point_the_readme_lists()
    {
        var entryPoints = Scripts("eng");

        Assert.Contains("eng/test.sh", entryPoints);
        Assert.All(entryPoints, script => Assert.Contains($"| `bash {script}` |", Readme, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_script_in_eng_lib_says_it_is_a_helper()
    {
        var helpers = Scripts("eng/lib");

        Assert.Contains("eng/lib/help.sh", helpers);
        Assert.All(helpers, script => Assert.StartsWith("Helper, ", FirstComment(script), StringComparison.Ordinal));
    }

    [Fact]
    public void Every_script_in_eng_containers_says_whether_it_is_a_helper_or_an_entry_point_the_readme_lists()
    {
        var scripts = Scripts("eng/containers");

        Assert.Contains("eng/containers/publish.sh", scripts);
        Assert.All(scripts, script =>
        {
            var comment = FirstComment(script);
            if (comment.StartsWith("Entry point: ", StringComparison.Ordinal))
            {
                Assert.Contains($"| `bash {script}` |", Readme, StringComparison.Ordinal);
            }
            else
            {
                Assert.StartsWith("Helper, ", comment, StringComparison.Ordinal);
            }
        });
    }

    private static List<string> Scripts(string folder) =>
        [.. Directory.GetFiles(RepositoryRoot.Combine(folder), "*.sh").Select(path => $"{folder}/{Path.GetFileName(path)}").Order()];

    // The shebang is no comment: the first line starting "# " is.
    private static string FirstComment(string script) =>
        File.ReadLines(RepositoryRoot.Combine(script)).First(line => line.StartsWith("# ", StringComparison.Ordinal))[2..];
}
