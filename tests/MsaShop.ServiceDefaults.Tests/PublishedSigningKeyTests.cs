using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MsaShop.ServiceDefaults.Authentication;

namespace MsaShop.ServiceDefaults.Tests;

/// <summary>
/// A key written anywhere in this repository is public: no process outside Development may accept it. Tests
/// make their keys up per run (<see cref="SigningKeys.NewRandom"/>), so the development key should be the only
/// one found, and it is refused.
/// </summary>
public sealed partial class PublishedSigningKeyTests
{
    private static readonly string[] ScannedExtensions = [".cs", ".json", ".yaml", ".yml", ".md", ".sh", ".bicep", ".env"];
    private static readonly string[] SkippedDirectories = ["bin", "obj", "node_modules", "artifacts", ".git"];

    // A string assigned to something named *SigningKey (C#, JSON, YAML), a signingKey=value literal (kustomize,
    // shell), or the value of an Identity__SigningKey environment entry in a manifest.
    [GeneratedRegex(
        """SigningKey["'\]]*\s*[:=]\s*"(?<key>[^"$][^"]{15,})"|""" +
        """signingKey=(?<key>[^\s"'`$]{16,})|""" +
        """Identity__SigningKey\s*\n\s*value:\s*"?(?<key>[^\s"]{16,})""",
        RegexOptions.IgnoreCase)]
    private static partial Regex KeyAssignment();

    [Fact]
    public async Task Every_signing_key_written_in_the_repository_is_refused_outside_development()
    {
        var published = PublishedKeys();

        Assert.Contains(JwtIdentityOptions.DevelopmentOnlySigningKey, published.Keys);
        foreach (var (key, files) in published)
        {
            var error = await Record.ExceptionAsync(() => TestApp.StartAsync(
                _ => { },
                new Dictionary<string, string?> { ["Identity:SigningKey"] = key },
                environment: "Production"));

            Assert.True(error is OptionsValidationException,
                $"A process in Production starts with the signing key written in {string.Join(", ", files)}; " +
                "make test keys up at run time (SigningKeys.NewRandom) and keep deployment keys in a secret store.");
        }
    }

    private static Dictionary<string, List<string>> PublishedKeys()
    {
        var published = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in SourceFiles(new DirectoryInfo(RepositoryRoot.Path)))
        {
            foreach (Match match in KeyAssignment().Matches(File.ReadAllText(file.FullName)))
            {
                var key = match.Groups["key"].Value;
                if (!published.TryGetValue(key, out var files))
                {
                    published[key] = files = [];
                }

                files.Add(Path.GetRelativePath(RepositoryRoot.Path, file.FullName));
            }
        }

        return published;
    }

    private static IEnumerable<FileInfo> SourceFiles(DirectoryInfo directory) =>
        directory.EnumerateFiles().Where(file => ScannedExtensions.Contains(file.Extension, StringComparer.OrdinalIgnoreCase))
            .Concat(directory.EnumerateDirectories()
                .Where(child => !SkippedDirectories.Contains(child.Name, StringComparer.OrdinalIgnoreCase))
                .SelectMany(SourceFiles));
}
