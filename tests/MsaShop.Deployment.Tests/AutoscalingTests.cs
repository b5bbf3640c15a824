using System.Globalization;
using System.Text.Json;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests;

/// <summary>HorizontalPodAutoscalers for the gateway and catalog, KEDA scale-to-zero for payment, disruption budgets.</summary>
public sealed class AutoscalingTests
{
    public static TheoryData<string> Overlays => Overlay.Names;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Payment_scales_from_zero_on_the_length_of_its_queue(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        var scaledObject = Assert.Single(manifests.OfKind("ScaledObject"));
        var spec = scaledObject["spec"]!;
        Assert.Equal("payment", (string?)spec["scaleTargetRef"]!["name"]);
        Assert.Equal("Deployment", (string?)spec["scaleTargetRef"]!["kind"] ?? "Deployment");
        Assert.Equal(0, (int?)spec["minReplicaCount"]);
        Assert.True((int?)spec["maxReplicaCount"] > 1);

        var trigger = Assert.Single(spec["triggers"]!.AsArray())!;
        Assert.Equal("rabbitmq", (string?)trigger["type"]);
        Assert.Equal("QueueLength", (string?)trigger["metadata"]!["mode"]);
        Assert.Equal("payment", (string?)trigger["metadata"]!["queueName"]);

        // The broker address comes from the Secret the services use, never from the ScaledObject itself.
        var authentication = manifests.Single("TriggerAuthentication", (string)trigger["authenticationRef"]!["name"]!);
        var host = Assert.Single(authentication["spec"]!["secretTargetRef"]!.AsArray(), r => (string?)r!["parameter"] == "host")!;
        var messaging = manifests.Workload("payment").Environment["ConnectionStrings__messaging"]["valueFrom"]!["secretKeyRef"]!;
        Assert.Equal((string?)messaging["name"], (string?)host["name"]);
        Assert.Equal((string?)messaging["key"], (string?)host["key"]);

        // Nothing else scales payment: an HPA of our own would fight KEDA's.
        Assert.DoesNotContain(manifests.OfKind("HorizontalPodAutoscaler"), hpa => (string?)hpa["spec"]!["scaleTargetRef"]!["name"] == "payment");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_first_payment_replica_lives_long_enough_to_declare_its_queue(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var payment = manifests.Workload("payment");
        var scaledObject = manifests.Single("ScaledObject", "payment")["spec"]!;

        Assert.True(((int?)payment.Spec["replicas"] ?? 1) >= 1);
        Assert.True((int?)scaledObject["initialCooldownPeriod"] >= StartupWindow(payment).TotalSeconds,
            "KEDA may scale the first replica away before it has started and declared the payment queue");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task A_payment_cold_start_fits_well_inside_the_order_deadline(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var payment = manifests.Workload("payment");
        var polling = TimeSpan.FromSeconds((int?)manifests.Single("ScaledObject", "payment")["spec"]!["pollingInterval"] ?? 30);

        // The worst case before a message is picked up: KEDA's next poll plus the longest start-up the probe allows.
        var worstColdStart = polling + StartupWindow(payment);
        var orderDeadline = OrderDeadline(manifests.Workload("ordering"));

        Assert.True(worstColdStart * 4 <= orderDeadline,
            $"a payment cold start of up to {worstColdStart} leaves too little of the {orderDeadline} order deadline");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_gateway_and_the_catalog_scale_out_from_two_replicas(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.Equal(2, (int?)manifests.Workload("catalog").Spec["replicas"]);
        foreach (var name in new[] { "gateway", "catalog" })
        {
            var hpa = Assert.Single(manifests.OfKind("HorizontalPodAutoscaler"), h => (string?)h["spec"]!["scaleTargetRef"]!["name"] == name)!;
            Assert.Equal("Deployment", (string?)hpa["spec"]!["scaleTargetRef"]!["kind"]);
            Assert.True((int?)hpa["spec"]!["minReplicas"] >= 2, $"{name}: fewer than two replicas");
            Assert.True((int?)hpa["spec"]!["maxReplicas"] > (int?)hpa["spec"]!["minReplicas"], $"{name}: cannot scale out");
            Assert.True(manifests.Workload(name).MainContainer["resources"]?["requests"]?["cpu"] is not null, $"{name}: CPU utilisation needs a CPU request");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Disruption_budgets_keep_a_replica_of_each_request_path_without_blocking_drains(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var deployments = manifests.OfKind("Deployment").Select(d => new Workload(d)).ToList();

        var covered = manifests.OfKind("PodDisruptionBudget").Select(pdb =>
        {
            var selected = deployments.Where(d => LabelSelector.Matches(pdb["spec"]!["selector"], d.PodLabels)).ToList();
            var deployment = Assert.Single(selected);
            var minAvailable = (int?)pdb["spec"]!["minAvailable"];
            Assert.True(minAvailable >= 1, $"{deployment}: the budget keeps nothing");
            Assert.True(minAvailable < ((int?)deployment.Spec["replicas"] ?? 1), $"{deployment}: the budget would block every drain");
            return deployment.Name;
        }).Order();

        Assert.Equal(["catalog", "gateway", "ordering"], covered);
    }

    /// <summary>The longest the startup probe lets a container take before the kubelet restarts it.</summary>
    private static TimeSpan StartupWindow(Workload workload)
    {
        var probe = workload.MainContainer["startupProbe"]!;
        return TimeSpan.FromSeconds(((int?)probe["initialDelaySeconds"] ?? 0) + ((int?)probe["periodSeconds"] ?? 10) * ((int?)probe["failureThreshold"] ?? 3));
    }

    /// <summary>Ordering:OrderTimeout as the deployed ordering sees it: its environment, else its appsettings.json.</summary>
    private static TimeSpan OrderDeadline(Workload ordering)
    {
        var value = ordering.EnvironmentValue("Ordering__OrderTimeout");
        if (value is null)
        {
            var settings = JsonNode.Parse(
                File.ReadAllText(RepositoryRoot.Combine("services", "Ordering", "appsettings.json")),
                documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            value = (string?)settings?["Ordering"]?["OrderTimeout"];
        }

        return TimeSpan.Parse(value ?? throw new InvalidOperationException("Ordering:OrderTimeout is configured nowhere."), CultureInfo.InvariantCulture);
    }
}
