namespace MsaShop.Deployment.Tests.Manifests;

/// <summary>
/// Kubernetes label selector semantics: matchLabels and matchExpressions, all must hold; an empty selector selects everything.
/// </summary>
internal static class LabelSelector
{
    public static bool Matches(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is not JsonObject spec)
        {
            return true;
        }

        var matchLabels = spec["matchLabels"]?.AsObject() ?? [];
        if (matchLabels.Any(pair => !labels.TryGetValue(pair.Key, out var value) || value != (string?)pair.Value))
        {
            return false;
        }

        return (spec["matchExpressions"]?.AsArray() ?? []).All(expression =>
        {
            var key = (string)expression!["key"]!;
            var values = expression["values"]?.AsArray().Select(v => (string)v!).ToHashSet() ?? [];
            var has = labels.TryGetValue(key, out var value);
            return (string?)expression["operator"] switch
            {
                "In" => has && values.Contains(value!),
                "NotIn" => !has || !values.Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                var other => throw new NotSupportedException($"Selector operator '{other}'"),
            };
        });
    }
}
