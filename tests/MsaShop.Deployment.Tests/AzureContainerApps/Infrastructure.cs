using MsaShop.Deployment.Tests.Manifests;
using MsaShop.Deployment.Tests.Tools;

namespace MsaShop.Deployment.Tests.AzureContainerApps;

/// <summary>
/// infra/ as <c>azd provision</c> deploys it: main.bicep compiled (once per test run) to its ARM template,
/// with main.parameters.json, and the look-ups the checks share.
/// </summary>
internal sealed class Infrastructure(BicepCli.Compilation main, JsonObject parameterFile)
{
    public static string Directory { get; } = RepositoryRoot.Combine("infra");

    private static readonly Lazy<Task<Infrastructure>> Compiled = new(async () => new Infrastructure(
        await BicepCli.BuildAsync(Path.Combine(Directory, "main.bicep")),
        JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Directory, "main.parameters.json")))!.AsObject()));

    public static Task<Infrastructure> CompileAsync() => Compiled.Value;

    public IReadOnlyList<string> Diagnostics => main.Diagnostics;

    /// <summary>main.bicep's parameters, as compiled: type ("securestring" when @secure), defaultValue, metadata.</summary>
    public JsonObject Parameters => main.Template["parameters"]!.AsObject();

    /// <summary>main.bicep's outputs: what azd writes into the environment for the templates' <c>{{ .Env.NAME }}</c>.</summary>
    public IEnumerable<string> Outputs => main.Template["outputs"]!.AsObject().Select(output => output.Key);

    /// <summary>The values main.parameters.json gives main.bicep's parameters.</summary>
    public JsonObject ParameterFileValues => parameterFile["parameters"]!.AsObject();

    /// <summary>Every Key Vault secret resources.bicep writes, by name, with the ARM expression of its value.</summary>
    public IReadOnlyDictionary<string, string> KeyVaultSecrets =>
        Module("key-vault")["properties"]!["parameters"]!["secrets"]!["value"]!.AsObject()
            .ToDictionary(secret => secret.Key, secret => (string)secret.Value!);

    /// <summary>The databases the PostgreSQL module creates on the server.</summary>
    public IReadOnlyList<string> PostgresDatabases =>
        [.. Module("postgres")["properties"]!["template"]!["variables"]!["databases"]!.AsArray().Select(name => (string)name!)];

    /// <summary>The one resource of <paramref name="type"/> that a module deploys.</summary>
    public JsonObject ResourceOf(string module, string type) =>
        Resources(Module(module)["properties"]!["template"]!.AsObject()).Single(resource => (string?)resource["type"] == type);

    /// <summary>A module (nested deployment) by its deployment name, anywhere below main.bicep.</summary>
    public JsonObject Module(string name) =>
        Deployments(main.Template).SingleOrDefault(deployment => (string?)deployment["name"] == name)
        ?? throw new InvalidOperationException($"infra/ deploys no module named '{name}'.");

    private static IEnumerable<JsonObject> Deployments(JsonObject template)
    {
        foreach (var resource in Resources(template).Where(r => (string?)r["type"] == "Microsoft.Resources/deployments"))
        {
            yield return resource;
            foreach (var nested in Deployments(resource["properties"]!["template"]!.AsObject()))
            {
                yield return nested;
            }
        }
    }

    // Bicep writes resources as an array, or as an object keyed by symbolic name (languageVersion 2.0).
    private static IEnumerable<JsonObject> Resources(JsonObject template) => template["resources"] switch
    {
        JsonArray list => list.Select(resource => resource!.AsObject()),
        JsonObject symbolic => symbolic.Select(entry => entry.Value!.AsObject()),
        _ => [],
    };
}
