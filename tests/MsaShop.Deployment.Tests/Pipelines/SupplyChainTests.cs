using System.Text.RegularExpressions;

namespace MsaShop.Deployment.Tests.Pipelines;

/// <summary>
/// The supply chain: every action pinned to a commit, and every image the pipeline pushes scanned for known
/// vulnerabilities, described by an SBOM and signed (cosign, keyless) before any environment runs it.
/// </summary>
public sealed partial class SupplyChainTests
{
    private const string Digest = "ghcr.io/msashop/msashop/catalog@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945";

    [Fact]
    public void Every_action_is_pinned_to_a_full_commit_with_its_version_named()
    {
        var uses = Workflow.All().SelectMany(workflow => workflow.Text.Split('\n')
            .Select(line => (workflow.Path, Line: line.Trim()))
            .Where(entry => UsesLine().IsMatch(entry.Line) && !entry.Line.Contains("./.github/", StringComparison.Ordinal))).ToList();

        Assert.NotEmpty(uses);
        // A tag can be moved to other code; a commit cannot. The comment says which release it is.
        Assert.All(uses, entry => Assert.Matches(PinnedAction(), entry.Line));
    }

    [Fact]
    public void Every_pushed_image_is_scanned_described_and_signed_by_digest_before_any_deployment()
    {
        var service = Workflow.Load(".github/workflows/service.yml");
        var run = new WorkflowRun(service, WorkflowRun.Event("push", "refs/heads/main"));
        run.Jobs(new Dictionary<string, JsonObject> { ["image"] = new() { ["image"] = Digest } });
        var steps = run.Steps("image").Select(step => (Uses: (string?)step["uses"] ?? "", Run: (string?)step["run"] ?? "", Step: step))
            .ToList();

        int IndexOf(Func<(string Uses, string Run, JsonObject Step), bool> match) => steps.FindIndex(s => match(s));
        var publish = IndexOf(s => s.Run.Contains("-t:PublishContainer", StringComparison.Ordinal));
        var scan = IndexOf(s => s.Uses.StartsWith("aquasecurity/trivy-action@", StringComparison.Ordinal));
        var sbom = IndexOf(s => s.Uses.StartsWith("anchore/sbom-action@", StringComparison.Ordinal));
        var sign = IndexOf(s => s.Run.Contains("cosign sign --yes \"$IMAGE\"", StringComparison.Ordinal));

        Assert.True(publish >= 0 && publish < scan && scan < sign && sbom < sign,
            $"publish {publish}, scan {scan}, SBOM {sbom}, sign {sign}");
        var trivy = steps[scan].Step["with"]!;
        Assert.Equal("1", (string?)trivy["exit-code"]);
        Assert.Contains("CRITICAL", (string)trivy["severity"]!, StringComparison.Ordinal);
        Assert.Equal("${{ steps.publish.outputs.image }}", (string?)steps[sbom].Step["with"]!["image"]);
        Assert.Equal("${{ steps.publish.outputs.image }}", (string?)steps[sign].Step["env"]!["IMAGE"]);
        Assert.Contains("cosign attest --yes --type spdxjson", steps[sign].Run, StringComparison.Ordinal);
        // Keyless signing is the job's OIDC identity; every deployment waits for the job that signed.
        Assert.Equal("write", (string?)service.Jobs["image"]!["permissions"]!["id-token"]);
        Assert.Equal("image", (string?)service.Jobs["deploy-staging"]!["needs"]);
    }

    [GeneratedRegex(@"^-?\s*uses:\s")]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"uses:\s+[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")]
    private static partial Regex PinnedAction();
}
