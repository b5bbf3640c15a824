using MsaShop.Deployment.Tests.Manifests;
using MsaShop.Postgres;

namespace MsaShop.Deployment.Tests;

/// <summary>
/// Each database is migrated once per release, by a Job running the stable release with the service's own
/// configuration, before the release's pods roll (an Argo CD PreSync hook); no service pod migrates as it
/// starts, so a canary can never change the schema under the stable replicas.
/// </summary>
public sealed class MigrationTests
{
    public static TheoryData<string> Overlays => Overlay.Names;

    private static readonly string MigrationsKey = $"{PostgresOptions.SectionName}__{nameof(PostgresOptions.Migrations)}";

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task No_service_pod_migrates_its_database_as_it_starts(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.Equal(nameof(DatabaseMigrationMode.Skip), (string?)manifests.Single("ConfigMap", "msashop-runtime")["data"]![MigrationsKey]);
        Assert.All(manifests.Services, service =>
        {
            Assert.Contains(service.MainContainer["envFrom"]!.AsArray(), source =>
                (string?)source!["configMapRef"]?["name"] == "msashop-runtime");
            Assert.False(service.Environment.ContainsKey(MigrationsKey), $"{service} overrides {MigrationsKey}");
            Assert.Null(service.MainContainer["args"]);
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Each_database_is_migrated_by_one_Job_that_runs_the_stable_release_before_the_pods_roll(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        foreach (var service in new[] { "catalog", "ordering", "payment" })
        {
            var stable = manifests.Workload(service);
            var job = Assert.Single(manifests.Jobs, j => j.PodLabels.GetValueOrDefault("app.kubernetes.io/name") == service);

            Assert.Equal("migrations", job.PodLabels["app.kubernetes.io/component"]);
            Assert.Equal($"--{PostgresOptions.SectionName}:{nameof(PostgresOptions.Migrations)}={DatabaseMigrationMode.Only}",
                (string?)Assert.Single(job.MainContainer["args"]!.AsArray()));
            // The stable release's image, configuration and identity: the canary's never migrates.
            Assert.Equal((string?)stable.MainContainer["image"], (string?)job.MainContainer["image"]);
            Assert.True(JsonNode.DeepEquals(stable.MainContainer["env"], job.MainContainer["env"]),
                $"{job}: not the environment of {stable}");
            Assert.Equal(stable.ServiceAccount, job.ServiceAccount);
            Assert.Equal("Never", (string?)job.PodSpec["restartPolicy"]);
            Assert.Equal("PreSync", (string?)job.Manifest["metadata"]!["annotations"]!["argocd.argoproj.io/hook"]);
            Assert.NotNull((int?)job.Spec["ttlSecondsAfterFinished"]);
        }
        Assert.Equal(3, manifests.Jobs.Count);
    }
}
