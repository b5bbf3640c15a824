using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MsaShop.Harness;

/// <summary>
/// Resolves the AppHost manifest's expressions against what one runner started: <c>{x.connectionString}</c> to the
/// connection string of its server for x, <c>{x.value}</c> to a parameter's value (the runner's, else the manifest's
/// default), <c>{x.bindings.http.url}</c> and <c>.targetPort</c> to the addresses of x's instances. A variable naming a
/// binding the runner does not serve (https: TLS ends in front of the services when deployed) is left out, as Aspire
/// leaves out an endpoint it did not allocate; anything else it cannot resolve, and any name the manifest does not
/// have, is an error.
/// </summary>
public sealed partial class ManifestResolver
{
    private const int MaxDepth = 8;
    private readonly AppHostManifest _manifest;
    private readonly IReadOnlyDictionary<string, string> _connectionStrings;
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private readonly Func<string, string, IReadOnlyList<Uri>?> _addresses;

    /// <param name="connectionStrings">By resource name: the servers the runner started, and its overrides.</param>
    /// <param name="parameters">By parameter name: values the runner gives (a signing key of its own).</param>
    /// <param name="addresses">A resource's instances for one of its bindings; null when the runner does not serve that binding.</param>
    public ManifestResolver(
        AppHostManifest manifest,
        IReadOnlyDictionary<string, string> connectionStrings,
        IReadOnlyDictionary<string, string> parameters,
        Func<string, string, IReadOnlyList<Uri>?> addresses)
    {
        foreach (var name in connectionStrings.Keys.Where(name => manifest.Resource(name)["connectionString"] is null))
        {
            throw new KeyNotFoundException($"the AppHost manifest's resource '{name}' has no connection string to give");
        }
        foreach (var name in parameters.Keys.Where(name => (string?)manifest.Resource(name)["type"] != "parameter.v0"))
        {
            throw new KeyNotFoundException($"the AppHost manifest's resource '{name}' is no parameter");
        }
        (_manifest, _connectionStrings, _parameters, _addresses) = (manifest, connectionStrings, parameters, addresses);
    }

    /// <summary>
    /// Every variable the manifest gives <paramref name="resource"/>, resolved for its instance at <paramref name="own"/>. A
    /// discovery key (services__catalog__http__0) naming a resource run several times lists each instance (__0, __1, …):
    /// no proxy stands in front of them here.
    /// </summary>
    public Dictionary<string, string> EnvironmentOf(string resource, Uri own)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in _manifest.EnvironmentOf(resource))
        {
            if (DiscoveryKey().Match(name) is { Success: true } key && Reference().Match(value) is { Success: true } reference
                && reference.Length == value.Length && UrlReference().Match(reference.Groups["path"].Value) is { Success: true } url)
            {
                var instances = Instances(url.Groups["resource"].Value, url.Groups["binding"].Value);
                foreach (var (address, index) in (instances ?? []).Select((address, index) => (address, index)))
                {
                    environment[string.Create(CultureInfo.InvariantCulture, $"{key.Groups["prefix"].Value}__{index}")] = UrlOf(address);
                }
                continue;
            }
            if (Resolve(value, resource, own, depth: 0) is { } resolved)
            {
                environment[name] = resolved;
            }
        }
        return environment;
    }

    /// <summary>
    /// The projects whose bindings <paramref name="resource"/>'s environment names: the AppHost's WaitFor, as the manifest has it.
    /// </summary>
    public IReadOnlyList<string> ReferencesOf(string resource) =>
        [.. _manifest.EnvironmentOf(resource).Values.SelectMany(value => Reference().Matches(value))
            .Select(reference => reference.Groups["path"].Value.Split('.')[0])
            .Where(name => name != resource && _manifest.Projects.Contains(name))
            .Distinct()];

    // Null when a reference in it names a binding the runner does not serve.
    private string? Resolve(string text, string self, Uri own, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"'{text}': the manifest's expressions nest deeper than {MaxDepth}");
        }
        var resolved = new StringBuilder();
        var last = 0;
        foreach (Match reference in Reference().Matches(text))
        {
            if (Value(reference.Groups["path"].Value, self, own, depth) is not { } value)
            {
                return null;
            }
            resolved.Append(text, last, reference.Index - last).Append(value);
            last = reference.Index + reference.Length;
        }
        return resolved.Append(text, last, text.Length - last).ToString();
    }

    private string? Value(string path, string self, Uri own, int depth)
    {
        var parts = path.Split('.');
        var resource = _manifest.Resource(parts[0]);
        var type = (string?)resource["type"];
        switch (parts[1..])
        {
            case ["connectionString"]:
                if (_connectionStrings.TryGetValue(parts[0], out var connectionString))
                {
                    return connectionString;
                }
                return type is "container.v0" or "project.v0" || (string?)resource["connectionString"] is not { } expression
                    ? throw new InvalidOperationException($"{{{path}}}: the runner started no server for {parts[0]}")
                    : Resolve(expression, self, own, depth + 1);
            case ["value"] when _parameters.TryGetValue(parts[0], out var given):
                return given;
            case ["value"]:
                var value = Resolve((string?)resource["value"] ?? throw Unresolvable(path), self, own, depth + 1);
                return (string?)resource["filter"] == "uri" && value is not null ? Uri.EscapeDataString(value) : value;
            case ["inputs", "value"]:
                return (string?)resource["inputs"]?["value"]?["default"]?["value"]
                    ?? throw new InvalidOperationException($"{{{path}}}: parameter {parts[0]} has no default, and the runner gives none");
            case ["bindings", var binding, var property]:
                if (resource["bindings"]?[binding] is null)
                {
                    throw Unresolvable(path);
                }
                if (_addresses(parts[0], binding) is null)
                {
                    return null;
                }
                if (property == "targetPort" && parts[0] == self)
                {
                    return own.Port.ToString(CultureInfo.InvariantCulture);
                }
                var instances = Instances(parts[0], binding)!;
                return property switch
                {
                    "targetPort" or "port" => Single(path, instances).Port.ToString(CultureInfo.InvariantCulture),
                    "host" => Single(path, instances).Host,
                    "url" => UrlOf(Single(path, instances)),
                    _ => throw Unresolvable(path),
                };
            default:
                throw Unresolvable(path);
        }
    }

    private IReadOnlyList<Uri>? Instances(string resource, string binding)
    {
        _ = _manifest.Resource(resource);
        var instances = _addresses(resource, binding);
        return instances is { Count: 0 }
            ? throw new InvalidOperationException($"{resource}: the runner started no instance of it")
            : instances;
    }

    // As Aspire writes an endpoint's url: scheme, host and port, no path.
    private static string UrlOf(Uri address) => address.GetLeftPart(UriPartial.Authority);

    private static Uri Single(string path, IReadOnlyList<Uri> instances) => instances.Count == 1
        ? instances[0]
        : throw new InvalidOperationException($"{{{path}}} names {instances.Count} instances where one value is asked for");

    private static InvalidOperationException Unresolvable(string path) =>
        new($"{{{path}}}: no runner resolves this expression of the AppHost manifest");

    [GeneratedRegex(@"\{(?<path>[A-Za-z0-9_.-]+)\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^(?<prefix>services__.+__[A-Za-z0-9]+)__0$")]
    private static partial Regex DiscoveryKey();

    [GeneratedRegex(@"^(?<resource>[A-Za-z0-9-]+)\.bindings\.(?<binding>[A-Za-z0-9-]+)\.url$")]
    private static partial Regex UrlReference();
}
