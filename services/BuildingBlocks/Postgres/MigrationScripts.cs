using System.Reflection;

namespace MsaShop.Postgres;

/// <summary>
/// The SQL scripts one assembly embeds as <c>Migrations/NNNN_name.sql</c>, in file-name order.
/// A service registers its own and its building blocks' (e.g. the outbox tables of MsaShop.Messaging).
/// </summary>
public sealed class MigrationScripts(Assembly assembly)
{
    /// <summary>Each script's version is "Assembly/NNNN_name", so two assemblies never clash.</summary>
    public IReadOnlyList<(string Version, string Sql)> Load()
    {
        const string folder = ".Migrations.";
        var source = assembly.GetName().Name;
        return assembly.GetManifestResourceNames()
            .Where(name => name.Contains(folder, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                var script = name[(name.LastIndexOf(folder, StringComparison.Ordinal) + folder.Length)..^".sql".Length];
                return ($"{source}/{script}", reader.ReadToEnd());
            })
            .ToList();
    }
}
