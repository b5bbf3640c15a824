using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.AzureContainerApps;

/// <summary>
/// One container app as <c>azd deploy</c> applies it: AppHost/infra/&lt;name&gt;.tmpl.yaml (where azd reads a
/// template for each AppHost resource, next to the AppHost project), read with its placeholders marked.
/// </summary>
internal sealed class ContainerApp(string name, JsonObject template)
{
    public static string Directory { get; } = RepositoryRoot.Combine("AppHost", "infra");

    public string Name { get; } = name;

    /// <summary>The whole template, placeholders as <see cref="AzdTemplate"/> markers.</summary>
    public JsonObject Template { get; } = template;

    public string ApiVersion => (string)Template["api-version"]!;

    public JsonObject Configuration => Template["properties"]!["configuration"]!.AsObject();

    public JsonObject? Ingress => Configuration["ingress"] as JsonObject;

    /// <summary>The app's one container.</summary>
    public JsonObject Container => Template["properties"]!["template"]!["containers"]!.AsArray().Single()!.AsObject();

    public JsonObject Scale => Template["properties"]!["template"]!["scale"]!.AsObject();

    public int MinReplicas => (int?)Scale["minReplicas"] ?? 0;

    public IReadOnlyDictionary<string, JsonObject> Environment => ByName(Container["env"]);

    public IReadOnlyDictionary<string, JsonObject> Secrets => ByName(Configuration["secrets"]);

    public IEnumerable<JsonObject> Probes => (Container["probes"]?.AsArray() ?? []).Select(probe => probe!.AsObject());

    public JsonObject? Probe(string type) => Probes.SingleOrDefault(probe => (string?)probe["type"] == type);

    /// <summary>The port the container serves: its ingress's target port, or without ingress the port its probes use.</summary>
    public int? ListeningPort =>
        (int?)Ingress?["targetPort"]
        ?? Probes.Select(probe => (int?)(probe["httpGet"] ?? probe["tcpSocket"])?["port"]).Distinct().SingleOrDefault();

    public string? Tag(string key) => (string?)Template["tags"]?[key];

    /// <summary>The Key Vault secret an environment variable reads, when it reads one (a secretRef to a keyVaultUrl).</summary>
    public string? KeyVaultSecretOf(string variable)
    {
        if (!Environment.TryGetValue(variable, out var entry) || (string?)entry["secretRef"] is not { } secretName
            || !Secrets.TryGetValue(secretName, out var secret) || (string?)secret["keyVaultUrl"] is not { } url)
        {
            return null;
        }

        var prefix = AzdTemplate.EnvironmentValue("AZURE_KEY_VAULT_ENDPOINT") + "secrets/";
        return url.StartsWith(prefix, StringComparison.Ordinal) ? url[prefix.Length..] : null;
    }

    public static ContainerApp Load(string path)
    {
        var name = Path.GetFileName(path)[..^".tmpl.yaml".Length];
        var template = YamlDocuments.Parse(AzdTemplate.Mark(File.ReadAllText(path))).Single();
        return new ContainerApp(name, template);
    }

    /// <summary>Every template azd would apply, by the name of the AppHost resource it deploys.</summary>
    public static IReadOnlyDictionary<string, ContainerApp> All() =>
        System.IO.Directory.GetFiles(Directory, "*.tmpl.yaml").Select(Load).ToDictionary(app => app.Name);

    private static Dictionary<string, JsonObject> ByName(JsonNode? list) =>
        (list?.AsArray() ?? []).Select(item => item!.AsObject()).ToDictionary(item => (string)item["name"]!);
}
