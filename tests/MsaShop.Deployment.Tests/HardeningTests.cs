using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests;

/// <summary>Least privilege and the operational contract of every MsaShop pod (common/deployment-defaults.yaml).</summary>
public sealed class HardeningTests
{
    public static TheoryData<string> Overlays => Overlay.Names;

    private static readonly string[] ResourceBounds = ["requests", "limits"];
    private static readonly string[] Resources = ["cpu", "memory"];
    private static readonly string[] PostgresProbes = ["startupProbe", "readinessProbe", "livenessProbe"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_pod_runs_as_non_root_without_privilege_escalation_or_capabilities(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.All(manifests.PodTemplates, workload =>
        {
            var pod = workload.PodSpec["securityContext"];
            Assert.True((bool?)pod?["runAsNonRoot"] == true, $"{workload}: runAsNonRoot");
            Assert.NotEqual(0, (int?)pod?["runAsUser"] ?? 0);
            Assert.Equal("RuntimeDefault", (string?)pod?["seccompProfile"]?["type"]);
            Assert.All(workload.Containers, container =>
            {
                var security = container["securityContext"];
                Assert.True((bool?)security?["allowPrivilegeEscalation"] == false, $"{workload}: allowPrivilegeEscalation");
                Assert.True((bool?)security?["readOnlyRootFilesystem"] == true, $"{workload}: readOnlyRootFilesystem");
                Assert.Equal(["ALL"], security?["capabilities"]?["drop"]?.AsArray().Select(c => (string)c!) ?? []);
            });
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_MsaShop_pod_is_the_non_root_app_user_with_a_writable_tmp(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.All(manifests.Services, workload =>
        {
            Assert.Equal(1654, (int?)workload.PodSpec["securityContext"]?["runAsUser"]);
            var tmp = workload.MainContainer["volumeMounts"]?.AsArray().SingleOrDefault(m => (string?)m!["mountPath"] == "/tmp");
            Assert.True(tmp is not null, $"{workload}: /tmp is not mounted");
            var volume = workload.PodSpec["volumes"]!.AsArray().Single(v => (string?)v!["name"] == (string?)tmp["name"]);
            Assert.True(volume!["emptyDir"] is not null, $"{workload}: /tmp is not an emptyDir");
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_pod_goes_without_a_service_account_token(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.All(manifests.PodTemplates, workload =>
            Assert.True((bool?)workload.PodSpec["automountServiceAccountToken"] == false, $"{workload} mounts a token"));
        Assert.All(manifests.OfKind("ServiceAccount"), account =>
            Assert.True((bool?)account["automountServiceAccountToken"] == false, $"{RenderedManifests.NameOf(account)} mounts a token"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Each_service_runs_under_its_own_service_account(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var deployments = manifests.Services.ToList();

        var accounts = manifests.OfKind("ServiceAccount").Select(RenderedManifests.NameOf).ToHashSet();
        Assert.All(deployments, d => Assert.Contains(d.ServiceAccount, accounts));
        // One account per service: the catalog's canary is the catalog, every other service is alone with its account.
        Assert.All(deployments.GroupBy(d => d.ServiceAccount), group =>
            Assert.Single(group.Select(d => d.PodLabels["app.kubernetes.io/name"]).Distinct()));
        Assert.Equal(deployments.Select(d => d.PodLabels["app.kubernetes.io/name"]).Distinct().Count(),
            deployments.Select(d => d.ServiceAccount).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_container_has_resource_requests_and_limits(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.All(manifests.PodTemplates.SelectMany(w => w.Containers.Select(c => (Workload: w, Container: c))), pair =>
        {
            foreach (var bound in ResourceBounds)
            {
                foreach (var resource in Resources)
                {
                    Assert.True(pair.Container["resources"]?[bound]?[resource] is not null, $"{pair.Workload}: no {resource} {bound}");
                }
            }
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_deployment_probes_start_up_and_liveness_on_alive_and_readiness_on_health(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.All(manifests.Services, workload =>
        {
            Assert.Contains(("http", 8080, "TCP"), workload.ContainerPorts);
            foreach (var (probe, path) in new[] { ("startupProbe", "/alive"), ("livenessProbe", "/alive"), ("readinessProbe", "/health") })
            {
                var httpGet = workload.MainContainer[probe]?["httpGet"];
                Assert.True(httpGet is not null, $"{workload}: no {probe}");
                Assert.Equal(path, (string?)httpGet["path"]);
                Assert.Equal("http", (string?)httpGet["port"]);
            }
        });
    }

    [Fact]
    public async Task Every_server_has_a_startup_budget_of_its_own_and_PostgreSQL_is_asked_by_pg_isready()
    {
        var manifests = await Overlay.RenderAsync(Overlay.Dev);

        Assert.All(manifests.OfKind("StatefulSet").Select(s => new Workload(s)), server =>
        {
            var container = server.MainContainer;
            var startup = container["startupProbe"];
            Assert.True(startup is not null, $"{server}: no startup probe, so a slow first start is killed by liveness");
            Assert.Null(container["livenessProbe"]!["initialDelaySeconds"]);
            Assert.True(Window(startup) >= TimeSpan.FromMinutes(2), $"{server}: {Window(startup)} to start");
        });
        // PostgreSQL's first start (initdb, the init script) answers pg_isready when it takes connections, not before.
        var postgres = manifests.Workload("postgres").MainContainer;
        Assert.All(PostgresProbes, probe =>
            Assert.Equal("pg_isready", (string?)postgres[probe]!["exec"]?["command"]?[0]));
    }

    private static TimeSpan Window(JsonNode probe) =>
        TimeSpan.FromSeconds(((int?)probe["periodSeconds"] ?? 10) * ((int?)probe["failureThreshold"] ?? 3));

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Rolling_updates_never_go_below_the_desired_replicas(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.All(manifests.Services, workload =>
        {
            Assert.Equal("RollingUpdate", (string?)workload.Spec["strategy"]?["type"]);
            Assert.Equal(0, (int?)workload.Spec["strategy"]?["rollingUpdate"]?["maxUnavailable"]);
            Assert.True((int?)workload.Spec["strategy"]?["rollingUpdate"]?["maxSurge"] >= 1, $"{workload}: maxSurge");
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_termination_grace_period_outlasts_the_preStop_pause_plus_the_host_drain(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var runtime = manifests.Single("ConfigMap", "msashop-runtime");
        var drainSeconds =
            int.Parse((string)runtime["data"]!["DOTNET_SHUTDOWNTIMEOUTSECONDS"]!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.All(manifests.Services, workload =>
        {
            Assert.Contains(workload.MainContainer["envFrom"]!.AsArray(), source =>
                (string?)source!["configMapRef"]?["name"] == "msashop-runtime");
            var pauseSeconds = (int?)workload.MainContainer["lifecycle"]?["preStop"]?["sleep"]?["seconds"];
            Assert.True(pauseSeconds > 0, $"{workload}: no preStop pause, so requests keep arriving while it stops");
            var grace = (int?)workload.PodSpec["terminationGracePeriodSeconds"] ?? 30;
            Assert.True(grace > pauseSeconds + drainSeconds,
                $"{workload}: {grace} s grace <= {pauseSeconds} s pause + {drainSeconds} s drain");
        });
    }
}
