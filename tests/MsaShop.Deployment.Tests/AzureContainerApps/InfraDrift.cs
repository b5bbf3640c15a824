using System.Text.RegularExpressions;

namespace MsaShop.Deployment.Tests.AzureContainerApps;

/// <summary>
/// Finds what the AppHost's manifest describes and infra/ does not deploy, by the rules azd follows when
/// it generates infrastructure from a manifest (plus MsaShop's: secrets come from Key Vault, databases from
/// the managed PostgreSQL server). Every resource, environment variable, binding and parameter needs its
/// counterpart; a manifest entry no rule here knows is reported too, never passed over.
/// </summary>
internal sealed partial class InfraDrift(JsonObject manifest, IReadOnlyDictionary<string, ContainerApp> apps, Infrastructure infra)
{
    private const string DefaultTargetPort = "8080";
    private readonly List<string> _problems = [];

    /// <summary>One line per missing or disagreeing counterpart; none when infra/ and the manifest agree.</summary>
    public IReadOnlyList<string> Problems()
    {
        _problems.Clear();
        foreach (var (name, node) in manifest)
        {
            var resource = node!.AsObject();
            switch ((string?)resource["type"])
            {
                case "project.v0":
                    CheckApp(name, resource);
                    break;
                case "container.v0":
                    CheckApp(name, resource);
                    CheckContainer(name, resource);
                    break;
                case "parameter.v0" when resource["connectionString"] is not null:
                    CheckDatabase(name);
                    break;
                case "parameter.v0":
                    CheckParameter(name, resource);
                    break;
                case "annotated.string":
                    CheckAnnotatedString(name, resource);
                    break;
                case "value.v0":
                    CheckConstant(name, resource);
                    break;
                case var type:
                    Problem(name, $"a {type} resource: no rule here says what deploys it");
                    break;
            }
        }

        foreach (var app in apps.Keys.Where(app => manifest[app] is null))
        {
            Problem(app, $"AppHost/infra/{app}.tmpl.yaml deploys a resource the manifest does not have");
        }

        return [.. _problems];
    }

    private void CheckApp(string name, JsonObject resource)
    {
        if (!apps.TryGetValue(name, out var app))
        {
            Problem(name, $"no AppHost/infra/{name}.tmpl.yaml: azd would deploy its own default for it");
            return;
        }

        if (app.Tag("azd-service-name") != name || app.Tag("aspire-resource-name") != name || (string?)app.Container["name"] != name)
        {
            Problem(name, "its template's container name and azd-service-name / aspire-resource-name tags must be the resource's name");
        }

        foreach (var (variable, value) in resource["env"]?.AsObject() ?? [])
        {
            if (!app.Environment.ContainsKey(variable))
            {
                Problem(name, $"environment variable {variable} (= {value}) is not set by its template");
                continue;
            }

            if (Disagreement(name, app, variable, (string)value!) is { } disagreement)
            {
                Problem(name, $"environment variable {variable}: {disagreement}");
            }
        }

        CheckIngress(name, resource, app);
    }

    // What the manifest says a variable holds, and whether the template sets the same: null when it agrees.
    private string? Disagreement(string name, ContainerApp app, string variable, string expression)
    {
        var entry = app.Environment[variable];
        var value = (string?)entry["value"];
        if (!expression.Contains('{', StringComparison.Ordinal))
        {
            return value == expression ? null : $"the manifest sets '{expression}', the template '{value}'";
        }

        if (WholeReference().Match(expression) is not { Success: true } reference)
        {
            return $"no rule here for the expression '{expression}'";
        }

        var target = reference.Groups["resource"].Value;
        var property = reference.Groups["property"].Value;
        switch (property.Split('.'))
        {
            case ["connectionString"]:
                return ReadsKeyVaultSecret(app, variable, $"connectionstrings--{target}");
            case ["value"] when manifest[target] is JsonObject { } parameter && (string?)parameter["type"] == "parameter.v0":
                if ((bool?)parameter["inputs"]?["value"]?["secret"] == true)
                {
                    return ReadsKeyVaultSecret(app, variable, target);
                }

                var expected = AzdTemplate.ParameterWithDefault(
                    BicepName(target), (string?)parameter["inputs"]?["value"]?["default"]?["value"] ?? "");
                return value == expected ? null : $"expected '{expected}' (the parameter, as azd reads it), found '{value}'";
            case ["bindings", _, "targetPort"] when target == name:
                return value == app.ListeningPort?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    ? null
                    : $"'{value}', but the app is served and probed on {app.ListeningPort}";
            case ["bindings", var binding, "url"]:
                return UrlDisagreement(target, binding, value);
            default:
                return $"no rule here for the expression '{expression}'";
        }
    }

    private string? ReadsKeyVaultSecret(ContainerApp app, string variable, string secret)
    {
        if (app.KeyVaultSecretOf(variable) != secret)
        {
            return $"must be a secretRef to the Key Vault secret '{secret}'";
        }

        return infra.KeyVaultSecrets.ContainsKey(secret) ? null : $"infra/ writes no Key Vault secret '{secret}'";
    }

    // azd's rule: http(s) bindings on the main ingress resolve to <scheme>://<app>[.internal].<environment domain>.
    private string? UrlDisagreement(string target, string bindingName, string? value)
    {
        var binding = manifest[target]?["bindings"]?[bindingName];
        if (binding is null || !apps.TryGetValue(target, out var targetApp) || targetApp.Ingress is null)
        {
            return $"{target}'s {bindingName} binding is referenced, but {target} has no template with ingress";
        }

        var scheme = (string)binding["scheme"]!;
        var external = (bool?)binding["external"] == true;
        var domain = AzdTemplate.EnvironmentValue("AZURE_CONTAINER_APPS_ENVIRONMENT_DEFAULT_DOMAIN");
        var expected = $"{scheme}://{target}{(external ? "" : ".internal")}.{domain}";
        if (value != expected)
        {
            return $"expected '{expected}', found '{value}'";
        }

        return scheme == "http" && (bool?)targetApp.Ingress["allowInsecure"] != true
            ? $"plain http to {target}, whose ingress does not allow insecure connections (they would be redirected)"
            : null;
    }

    private void CheckIngress(string name, JsonObject resource, ContainerApp app)
    {
        var bindings = (resource["bindings"]?.AsObject() ?? []).ToDictionary(b => b.Key, b => b.Value!.AsObject());
        var external = bindings.Values.Any(binding => (bool?)binding["external"] == true);
        if (bindings.Count == 0 || (!external && !IsReferencedByAnother(name)))
        {
            if (app.Ingress is not null)
            {
                Problem(name, "nothing reaches it through a binding, so it should have no ingress at all");
            }

            return;
        }

        if (app.Ingress is not { } ingress)
        {
            Problem(name,
                $"its bindings ({string.Join(", ", bindings.Keys)}) are reached by other resources, but its template has no ingress");
            return;
        }

        if ((bool?)ingress["external"] != external)
        {
            Problem(name, $"ingress external must be {external.ToString().ToLowerInvariant()}, as its bindings say");
        }

        foreach (var (bindingName, binding) in bindings)
        {
            var tcp = (string?)binding["transport"] == "tcp";
            var targetPort = binding["targetPort"]?.ToString() ?? DefaultTargetPort;
            if ((string?)ingress["transport"] != (tcp ? "tcp" : "http") || ingress["targetPort"]?.ToString() != targetPort)
            {
                Problem(name, $"binding {bindingName} needs {(tcp ? "tcp" : "http")} ingress on target port {targetPort}");
            }

            if (binding["port"] is { } port && ingress["exposedPort"]?.ToString() != port.ToString())
            {
                Problem(name, $"binding {bindingName} is exposed on port {port}");
            }
        }
    }

    private void CheckContainer(string name, JsonObject resource)
    {
        if (!apps.TryGetValue(name, out var app))
        {
            return;
        }

        if ((string?)app.Container["image"] != AzdTemplate.Image)
        {
            Problem(name, $"the container's image must be {AzdTemplate.Image}: azd fills in the manifest's {resource["image"]}");
        }

        string[] command = resource["entrypoint"] is { } entrypoint ? [(string)entrypoint!] : [];
        if (!command.SequenceEqual(Strings(app.Container["command"]))
            || !Strings(resource["args"]).SequenceEqual(Strings(app.Container["args"])))
        {
            Problem(name, "the container's command and args must be the manifest's entrypoint and args");
        }

        if (resource["connectionString"] is null)
        {
            return;
        }

        // Its connection string, as the referencing apps read it from Key Vault, must address this app's ingress.
        var secret = $"connectionstrings--{name}";
        var address = $"{name}:{app.Ingress?["exposedPort"] ?? app.Ingress?["targetPort"]}";
        if (!infra.KeyVaultSecrets.TryGetValue(secret, out var value) || !value.Contains(address, StringComparison.Ordinal))
        {
            Problem(name, $"infra/ must write its connection string to Key Vault as '{secret}', addressing {address}");
        }
    }

    private void CheckDatabase(string name)
    {
        if (!infra.PostgresDatabases.Contains(name))
        {
            Problem(name, "the PostgreSQL module creates no database of that name");
        }

        if (!infra.KeyVaultSecrets.TryGetValue($"connectionstrings--{name}", out var value)
            || !value.Contains($".{name}", StringComparison.Ordinal))
        {
            Problem(name, $"infra/ must write the database's connection string to Key Vault as 'connectionstrings--{name}'");
        }
    }

    private void CheckParameter(string name, JsonObject resource)
    {
        var input = resource["inputs"]!["value"]!;
        var bicepName = BicepName(name);
        if (infra.Parameters[bicepName] is not JsonObject parameter)
        {
            Problem(name, $"main.bicep has no parameter {bicepName}");
            return;
        }

        var secret = (bool?)input["secret"] == true;
        if ((string?)parameter["type"] != (secret ? "securestring" : "string"))
        {
            Problem(name, $"main.bicep's {bicepName} must be {(secret ? "@secure() " : "")}string");
        }

        if (input["default"]?["value"] is { } defaultValue && parameter["defaultValue"]?.ToString() != defaultValue.ToString())
        {
            Problem(name, $"main.bicep's {bicepName} must default to '{defaultValue}'");
        }

        if (input["default"]?["generate"] is { } generate)
        {
            var config = parameter["metadata"]?["azd"];
            var noSpecial = (bool?)generate["special"] == false;
            if ((string?)config?["type"] != "generate" || ((int?)config["config"]?["length"] ?? 0) < ((int?)generate["minLength"] ?? 1)
                || ((bool?)config["config"]?["noSpecial"] == true) != noSpecial)
            {
                Problem(name, $"main.bicep's {bicepName} must be generated by azd as the AppHost asks ({generate.ToJsonString()})");
            }
        }

        if (infra.ParameterFileValues[bicepName] is null)
        {
            Problem(name, $"main.parameters.json does not map {bicepName} to azd's environment");
        }
    }

    // A filtered value (e.g. a password, URI-encoded): deployed inside the connection strings that use it.
    private void CheckAnnotatedString(string name, JsonObject resource)
    {
        if ((string?)resource["filter"] != "uri")
        {
            Problem(name, $"no rule here for the filter '{resource["filter"]}'");
            return;
        }

        foreach (var user in ConnectionStringsReferencing(name))
        {
            if (!infra.KeyVaultSecrets.TryGetValue($"connectionstrings--{user}", out var value)
                || !value.Contains("uriComponent(", StringComparison.Ordinal))
            {
                Problem(name, $"{user}'s connection string in Key Vault must URI-encode it (uriComponent)");
            }
        }
    }

    // A constant part of other resources' connection strings (e.g. the TLS suffix Redis has only locally).
    private void CheckConstant(string name, JsonObject resource)
    {
        var text = (string?)(resource["connectionString"] ?? resource["value"]);
        if (text is null || text.Contains('{', StringComparison.Ordinal))
        {
            Problem(name, "no rule here for a value.v0 that is not a constant");
            return;
        }

        foreach (var user in ConnectionStringsReferencing(name))
        {
            if (!infra.KeyVaultSecrets.TryGetValue($"connectionstrings--{user}", out var value)
                || !value.Contains(text, StringComparison.Ordinal))
            {
                Problem(name, $"{user}'s connection string in Key Vault must contain '{text}'");
            }
        }
    }

    private IEnumerable<string> ConnectionStringsReferencing(string name) =>
        manifest.Where(entry => ((string?)entry.Value!["connectionString"])?.Contains($"{{{name}.", StringComparison.Ordinal) == true)
            .Select(entry => entry.Key);

    // Another resource's environment or connection string points at this resource's bindings or connection string.
    private bool IsReferencedByAnother(string name) =>
        manifest.Where(entry => entry.Key != name).Any(entry =>
            (entry.Value!["env"]?.AsObject() ?? []).Select(env => (string?)env.Value)
                .Append((string?)entry.Value["connectionString"])
                .Any(text => text?.Contains($"{{{name}.", StringComparison.Ordinal) == true));

    private static string BicepName(string parameter) => parameter.Replace('-', '_');

    private static IEnumerable<string> Strings(JsonNode? list) => (list?.AsArray() ?? []).Select(item => (string)item!);

    private void Problem(string resource, string message) => _problems.Add($"{resource}: {message}");

    [GeneratedRegex(@"^\{(?<resource>[^.{}]+)\.(?<property>[^{}]+)\}$")]
    private static partial Regex WholeReference();
}
