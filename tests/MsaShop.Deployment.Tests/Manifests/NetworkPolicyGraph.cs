namespace MsaShop.Deployment.Tests.Manifests;

/// <summary>
/// Who may open a connection to whom under the rendered NetworkPolicies, with the API's semantics: a pod
/// selected by no policy of a direction is open in that direction; a selected pod admits only what some
/// rule of a selecting policy allows; a connection needs the sender's egress and the receiver's ingress.
/// ipBlock peers stand for addresses outside the cluster.
/// </summary>
internal sealed class NetworkPolicyGraph(RenderedManifests manifests)
{
    private readonly IReadOnlyList<JsonObject> _policies = [.. manifests.OfKind("NetworkPolicy")];

    public bool Allows(Peer from, Peer to, int port, string protocol = "TCP") =>
        EgressPermits(from, to, port, protocol) && IngressAdmits(from, to, port, protocol);

    /// <summary>The sender's side alone: may <paramref name="from"/> open the connection?</summary>
    public bool EgressPermits(Peer from, Peer to, int port, string protocol = "TCP") =>
        Admits(from, "Egress", "to", to, port, protocol);

    /// <summary>The receiver's side alone: does <paramref name="to"/> accept it?</summary>
    public bool IngressAdmits(Peer from, Peer to, int port, string protocol = "TCP") =>
        Admits(to, "Ingress", "from", from, port, protocol);

    /// <summary>Whether <paramref name="pod"/> may connect to an address outside the cluster on that port.</summary>
    public bool AllowsEgressOutsideCluster(Peer pod, int port, string protocol = "TCP")
    {
        var selecting = Selecting(pod, "Egress").ToList();
        return selecting.Count == 0 || selecting
            .SelectMany(policy => Rules(policy, "egress"))
            .Any(rule => (rule["to"]?.AsArray() is not { Count: > 0 } peers || peers.Any(p => p!["ipBlock"] is not null))
                         && PortMatches(rule, to: null, port, protocol));
    }

    /// <summary>Policies selecting the pod that isolate it in the direction ("Ingress" or "Egress").</summary>
    public IEnumerable<JsonObject> Selecting(Peer pod, string direction) => _policies.Where(policy =>
        RenderedManifests.NamespaceOf(policy) == pod.Namespace
        && LabelSelector.Matches(policy["spec"]!["podSelector"], pod.Labels)
        && PolicyTypes(policy).Contains(direction));

    private bool Admits(Peer pod, string direction, string peersField, Peer other, int port, string protocol)
    {
        var selecting = Selecting(pod, direction).ToList();
        if (selecting.Count == 0)
        {
            return true;
        }

        var destination = direction == "Egress" ? other : pod;
        return selecting.Any(policy => Rules(policy, direction.ToLowerInvariant()).Any(rule =>
            PeersMatch(rule[peersField]?.AsArray(), policy, other) && PortMatches(rule, destination, port, protocol)));
    }

    private static IEnumerable<JsonObject> Rules(JsonObject policy, string field) =>
        (policy["spec"]![field]?.AsArray() ?? []).Select(rule => rule!.AsObject());

    private static HashSet<string> PolicyTypes(JsonObject policy)
    {
        if (policy["spec"]!["policyTypes"] is JsonArray types)
        {
            return [.. types.Select(t => (string)t!)];
        }

        // The API's default: Ingress always, Egress when the policy has egress rules.
        return policy["spec"]!["egress"] is null ? ["Ingress"] : ["Ingress", "Egress"];
    }

    private static bool PeersMatch(JsonArray? peers, JsonObject policy, Peer other) =>
        peers is not { Count: > 0 } || peers.Any(peer => PeerMatches(peer!.AsObject(), policy, other));

    private static bool PeerMatches(JsonObject peer, JsonObject policy, Peer other)
    {
        if (peer["ipBlock"] is not null)
        {
            return false;
        }

        var namespaceSelector = peer["namespaceSelector"];
        var inNamespace = namespaceSelector is null
            ? other.Namespace == RenderedManifests.NamespaceOf(policy)
            : LabelSelector.Matches(namespaceSelector, other.NamespaceLabels);
        return inNamespace && LabelSelector.Matches(peer["podSelector"], other.Labels);
    }

    private static bool PortMatches(JsonObject rule, Peer? to, int port, string protocol) =>
        rule["ports"]?.AsArray() is not { Count: > 0 } ports || ports.Any(entry =>
        {
            if (((string?)entry!["protocol"] ?? "TCP") != protocol)
            {
                return false;
            }

            var declared = entry["port"];
            if (declared is null)
            {
                return true;
            }

            if (declared.GetValueKind() == System.Text.Json.JsonValueKind.String)
            {
                var name = (string)declared!;
                return to is not null && to.Ports.Any(p => p.Name == name && p.Port == port && p.Protocol == protocol);
            }

            var first = (int)declared;
            var last = (int?)entry["endPort"] ?? first;
            return port >= first && port <= last;
        });
}
