namespace MsaShop.Deployment.Tests.Manifests;

/// <summary>
/// Whether Istio lets a request through, by the rendered AuthorizationPolicies (the parts MsaShop uses):
/// a matching DENY rule refuses; when ALLOW policies apply to the workload (an empty spec is one that
/// applies to all and matches nothing), some rule of theirs must match; with none, everything passes.
/// </summary>
internal sealed class AuthorizationPolicyGraph(RenderedManifests manifests)
{
    private readonly IReadOnlyList<JsonObject> _policies = [.. manifests.OfKind("AuthorizationPolicy")];

    public bool Allows(Peer from, Peer to, int port)
    {
        var applying = _policies.Where(policy => Applies(policy, to)).ToList();
        if (applying.Where(policy => ActionOf(policy) == "DENY").Any(policy => RulesMatch(policy, from, port)))
        {
            return false;
        }

        var allowing = applying.Where(policy => ActionOf(policy) == "ALLOW").ToList();
        return allowing.Count == 0 || allowing.Any(policy => RulesMatch(policy, from, port));
    }

    private static string ActionOf(JsonObject policy) => (string?)policy["spec"]?["action"] ?? "ALLOW";

    private static bool Applies(JsonObject policy, Peer to) =>
        RenderedManifests.NamespaceOf(policy) == to.Namespace
        && LabelSelector.Matches(policy["spec"]?["selector"], to.Labels);

    private static bool RulesMatch(JsonObject policy, Peer from, int port) =>
        (policy["spec"]?["rules"]?.AsArray() ?? []).Any(rule =>
            Matches(rule!["from"]?.AsArray(), source => SourceMatches(source!["source"]!.AsObject(), from))
            && Matches(rule["to"]?.AsArray(), to => OperationMatches(to!["operation"]!.AsObject(), port)));

    // An absent list matches everything; otherwise any entry must match.
    private static bool Matches(JsonArray? entries, Func<JsonNode?, bool> matches) => entries is null || entries.Any(matches);

    private static bool SourceMatches(JsonObject source, Peer from)
    {
        if (source.Select(field => field.Key).Except(["principals", "namespaces"]).FirstOrDefault() is { } unsupported)
        {
            throw new NotSupportedException($"AuthorizationPolicy source field '{unsupported}'");
        }

        return In(source["principals"], from.Principal) && In(source["namespaces"], from.Namespace);
    }

    private static bool OperationMatches(JsonObject operation, int port)
    {
        if (operation.Select(field => field.Key).Except(["ports"]).FirstOrDefault() is { } unsupported)
        {
            throw new NotSupportedException($"AuthorizationPolicy operation field '{unsupported}'");
        }

        return In(operation["ports"], port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static bool In(JsonNode? values, string value) =>
        values is not JsonArray list || list.Any(v => (string?)v == value);
}
