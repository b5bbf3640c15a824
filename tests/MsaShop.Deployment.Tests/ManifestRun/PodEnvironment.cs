using System.Text;
using System.Text.RegularExpressions;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.ManifestRun;

/// <summary>
/// A container's environment exactly as the kubelet builds it from the rendered objects: envFrom sources in order,
/// then env entries (a value, or a key of a rendered ConfigMap or Secret, or a field of the pod), each value's
/// $(NAME) references expanded from what came before it. A reference to an object or key that is not rendered
/// fails, as the pod would fail to start.
/// </summary>
internal static partial class PodEnvironment
{
    public static Dictionary<string, string> Of(JsonObject container, RenderedManifests manifests, string podName, string podIp)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container["envFrom"]?.AsArray() ?? [])
        {
            var (kind, reference) = source!["configMapRef"] is { } configMap ? ("ConfigMap", configMap) : ("Secret", source["secretRef"]!);
            foreach (var (key, value) in Data(manifests, kind, (string)reference["name"]!))
            {
                environment[(string?)source["prefix"] + key] = value;
            }
        }

        foreach (var variable in container["env"]?.AsArray() ?? [])
        {
            var name = (string)variable!["name"]!;
            environment[name] = variable["valueFrom"] is { } from
                ? ValueFrom(from, manifests, podName, podIp, name)
                : Expand((string?)variable["value"] ?? "", environment);
        }

        return environment;
    }

    /// <summary>$(NAME) replaced by NAME's value when it is defined, left as it is otherwise; $$ escapes.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> environment) =>
        Reference().Replace(text, match => match.Value.StartsWith("$$", StringComparison.Ordinal)
            ? match.Value[1..]
            : environment.TryGetValue(match.Groups["name"].Value, out var value) ? value : match.Value);

    /// <summary>A rendered ConfigMap's or Secret's entries, Secrets decoded.</summary>
    public static IReadOnlyDictionary<string, string> Data(RenderedManifests manifests, string kind, string name)
    {
        var source = manifests.Find(kind, name) ?? throw new InvalidOperationException($"{kind} {name} is referenced but not rendered");
        var data = (source["data"]?.AsObject() ?? []).ToDictionary(
            entry => entry.Key,
            entry => kind == "Secret" ? Encoding.UTF8.GetString(Convert.FromBase64String((string)entry.Value!)) : (string)entry.Value!);
        foreach (var (key, value) in source["stringData"]?.AsObject() ?? [])
        {
            data[key] = (string)value!;
        }

        return data;
    }

    private static string ValueFrom(JsonNode from, RenderedManifests manifests, string podName, string podIp, string variable)
    {
        if (from["fieldRef"] is { } field)
        {
            return (string)field["fieldPath"]! switch
            {
                "metadata.name" => podName,
                "metadata.namespace" => "msashop",
                "status.podIP" => podIp,
                var other => throw new NotSupportedException($"{variable}: fieldRef {other}"),
            };
        }

        var (kind, reference) = from["secretKeyRef"] is { } secret ? ("Secret", secret) : ("ConfigMap", from["configMapKeyRef"]!);
        var key = (string)reference["key"]!;
        return Data(manifests, kind, (string)reference["name"]!).TryGetValue(key, out var value)
            ? value
            : throw new InvalidOperationException($"{variable}: {kind} {reference["name"]} has no key {key}");
    }

    [GeneratedRegex(@"\$?\$\((?<name>[A-Za-z_][A-Za-z0-9_.-]*)\)")]
    private static partial Regex Reference();
}
