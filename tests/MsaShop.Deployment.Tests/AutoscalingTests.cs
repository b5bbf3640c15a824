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

        var scaledObject = manifests.Single("ScaledObject", "payment");
        var spec = scaledObject["spec"]!;
        Assert.Equal("payment", (string?)spec["scaleTargetRef"]!["name"]);
        Assert.Equal("Deployment", (string?)spec["scaleTargetRef"]!["kind"] ?? "Deployment");
        Assert.Equal(0, (int?)spec["minReplicaCount"]);
        Assert.True((int?)spec["maxReplicaCount"] > 1);

        var trigger = Assert.Single(spec["triggers"]!.AsArray(), t => (string?)t!["type"] == "rabbitmq")!;
        Assert.Equal("QueueLength", (string?)trigger["metadata"]!["mode"]);
        Assert.Equal("payment", (string?)trigger["metadata"]!["queueName"]);

        // The broker address comes from the Secret the services use, never from the ScaledObject itself.
        var authentication = manifests.Single("TriggerAuthentication", (string)trigger["authenticationRef"]!["name"]!);
        var host = Assert.Single(authentication["spec"]!["secretTargetRef"]!.AsArray(), r => (string?)r!["parameter"] == "host")!;
        var messaging = manifests.Workload("payment").Environment["ConnectionStrings__messaging"]["valueFrom"]!["secretKeyRef"]!;
        Assert.Equal((string?)messaging["name"], (string?)host["name"]);
        Assert.Equal((string?)messaging["key"], (string?)host["key"]);

        // Nothing else scales payment: an HPA of our own would fight KEDA's.
        Assert.DoesNotContain(manifests.OfKind("HorizontalPodAutoscaler"), hpa =>
            (string?)hpa["spec"]!["scaleTargetRef"]!["name"] == "payment");
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

        foreach (var name in new[] { "gateway", "catalog" })
        {
            var hpa =
                Assert.Single(manifests.OfKind("HorizontalPodAutoscaler"), h => (string?)h["spec"]!["scaleTargetRef"]!["name"] == name)!;
            Assert.Equal("Deployment", (string?)hpa["spec"]!["scaleTargetRef"]!["kind"]);
            Assert.True((int?)hpa["spec"]!["minReplicas"] >= 2, $"{name}: fewer than two replicas");
            Assert.True((int?)hpa["spec"]!["maxReplicas"] > (int?)hpa["spec"]!["minReplicas"], $"{name}: cannot scale out");
            Assert.True(manifests.Workload(name).MainContainer["resources"]?["requests"]?["cpu"] is not null,
                $"{name}: CPU utilisation needs a CPU request");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Disruption_budgets_keep_a_replica_of_each_request_path_without_blocking_drains(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var deployments = manifests.Services.ToList();

        var covered = manifests.OfKind("PodDisruptionBudget").Select(pdb =>
        {
            var selected = deployments.Where(d => LabelSelector.Matches(pdb["spec"]!["selector"], d.PodLabels)).ToList();
            var deployment = Assert.Single(selected);
            var minAvailable = (int?)pdb["spec"]!["minAvailable"];
            Assert.True(minAvailable >= 1, $"{deployment}: the budget keeps nothing");
            Assert.True(minAvailable < ReplicaFloor(manifests, deployment), $"{deployment}: the budget would block every drain");
            return deployment.Name;
        }).Order();

        Assert.Equal(["catalog", "gateway", "ordering"], covered);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task No_autoscaled_Deployment_pins_its_replica_count(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        var autoscaled = AutoscalerTargets(manifests).ToList();

        Assert.Equal(["catalog", "gateway", "payment"], autoscaled.Order());
        // An apply would reset the count the HPA or KEDA chose: the autoscaler alone owns it.
        Assert.All(autoscaled, name => Assert.True(manifests.Single("Deployment", name)["spec"]!["replicas"] is null,
            $"{name} pins spec.replicas although an autoscaler owns it"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_KEDA_trigger_reaches_its_broker_by_a_name_that_resolves_from_any_namespace(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        foreach (var scaledObject in manifests.OfKind("ScaledObject"))
        {
            // Unreadable metrics keep a replica rather than none.
            Assert.True((int?)scaledObject["spec"]!["fallback"]?["replicas"] >= 1,
                $"{RenderedManifests.NameOf(scaledObject)}: no fallback replica");
            foreach (var trigger in scaledObject["spec"]!["triggers"]!.AsArray().Where(t => (string?)t!["type"] == "rabbitmq"))
            {
                // KEDA's operator resolves the host in its own namespace: only a fully qualified name reaches the broker.
                var host = new Uri(TriggerHost(manifests, trigger!) ?? $"amqp://{RenderedManifests.NameOf(scaledObject)}.example.com").Host;
                Assert.True(host.EndsWith(".svc.cluster.local", StringComparison.Ordinal)
                    || (host.Contains('.') && !host.EndsWith(".svc", StringComparison.Ordinal)),
                    $"{overlay}: KEDA's trigger host '{host}' resolves only inside the msashop namespace");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_CPU_target_is_a_real_share_of_what_a_replica_may_use(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        foreach (var hpa in manifests.OfKind("HorizontalPodAutoscaler"))
        {
            var name = (string)hpa["spec"]!["scaleTargetRef"]!["name"]!;
            var target = (int)hpa["spec"]!["metrics"]!.AsArray()
                .Single(m => (string?)m!["resource"]?["name"] == "cpu")!["resource"]!["target"]!["averageUtilization"]!;
            var resources = manifests.Workload(name).MainContainer["resources"]!;
            var request = Millicores((string)resources["requests"]!["cpu"]!);
            var limit = Millicores((string)resources["limits"]!["cpu"]!);

            // The HPA acts at target x request; a replica may burn up to its limit. With the limit at most twice the
            // request, it scales out before a replica is three quarters busy, not at a sliver of what it may use.
            Assert.InRange(target, 50, 80);
            Assert.True(limit <= 2 * request,
                $"{name}: {request}m requested, {limit}m allowed: the {target} % target is {target * request / limit} % of the limit");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Payment_wakes_on_a_schedule_to_reconcile_with_no_orders_flowing(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var payment = manifests.Workload("payment");
        var triggers = manifests.Single("ScaledObject", "payment")["spec"]!["triggers"]!.AsArray();
        var reconciliation = PaymentReconciliation(payment);

        // A trigger that fires with an empty queue: the only way a parked charge is seen with no new traffic.
        var cron = Assert.Single(triggers, t => (string?)t!["type"] == "cron")!["metadata"]!;
        Assert.Equal("1", (string?)cron["desiredReplicas"]);
        var schedule = CronWindows.Hourly((string)cron["start"]!, (string)cron["end"]!);

        // Awake long enough to start (the startup probe's window) and run reconciliation twice...
        Assert.True(schedule.ShortestWindow >= StartupWindow(payment) + 2 * reconciliation.Interval,
            $"payment is awake {schedule.ShortestWindow} at a time: too short to start and reconcile");
        // ...and often enough that a charge whose order was cancelled is refunded within StaleAfter plus one period,
        // within the hour after it became stale whatever the traffic.
        Assert.True(schedule.LongestGap <= TimeSpan.FromHours(1), $"payment sleeps up to {schedule.LongestGap} between reconciliations");
        Assert.True(schedule.LongestGap >= reconciliation.StaleAfter,
            "the schedule wakes payment more often than anything can become stale");
    }

    /// <summary>The longest the startup probe lets a container take before the kubelet restarts it.</summary>
    private static TimeSpan StartupWindow(Workload workload)
    {
        var probe = workload.MainContainer["startupProbe"]!;
        return TimeSpan.FromSeconds(((int?)probe["initialDelaySeconds"] ?? 0) + ((int?)probe["periodSeconds"] ?? 10)
            * ((int?)probe["failureThreshold"] ?? 3));
    }

    private static IEnumerable<string> AutoscalerTargets(RenderedManifests manifests) =>
        manifests.OfKind("HorizontalPodAutoscaler").Concat(manifests.OfKind("ScaledObject"))
            .Select(scaler => (string)scaler["spec"]!["scaleTargetRef"]!["name"]!);

    /// <summary>The fewest replicas a Deployment runs: its autoscaler's floor (at least one), else its own count.</summary>
    private static int ReplicaFloor(RenderedManifests manifests, Workload deployment) =>
        manifests.OfKind("HorizontalPodAutoscaler").Where(h => (string?)h["spec"]!["scaleTargetRef"]!["name"] == deployment.Name)
            .Select(h => (int?)h["spec"]!["minReplicas"] ?? 1).DefaultIfEmpty((int?)deployment.Spec["replicas"] ?? 1).Single();

    /// <summary>
    /// The broker address a trigger reads: from its metadata, or from the Secret its TriggerAuthentication names, when rendered.
    /// </summary>
    private static string? TriggerHost(RenderedManifests manifests, JsonNode trigger)
    {
        if ((string?)trigger["metadata"]?["host"] is { } host)
        {
            return host;
        }

        var authentication = manifests.Single("TriggerAuthentication", (string)trigger["authenticationRef"]!["name"]!);
        var reference = authentication["spec"]!["secretTargetRef"]!.AsArray().Single(r => (string?)r!["parameter"] == "host")!;
        var secret = manifests.Find("Secret", (string)reference["name"]!);
        return secret?["data"]?[(string)reference["key"]!] is { } encoded
            ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)encoded!))
            : null;
    }

    private static int Millicores(string quantity) =>
        quantity.EndsWith('m')
            ? int.Parse(quantity[..^1], CultureInfo.InvariantCulture)
            : (int)(double.Parse(quantity, CultureInfo.InvariantCulture) * 1000);

    /// <summary>Payment:Reconciliation as the deployed payment sees it: its environment, else the options' defaults.</summary>
    private static MsaShop.Messaging.ReconciliationOptions PaymentReconciliation(Workload payment)
    {
        var defaults = new MsaShop.Messaging.ReconciliationOptions();
        TimeSpan Read(string key, TimeSpan fallback) =>
            payment.EnvironmentValue($"Payment__Reconciliation__{key}") is { } value
                ? TimeSpan.Parse(value, CultureInfo.InvariantCulture)
                : fallback;
        return new() { Interval = Read("Interval", defaults.Interval), StaleAfter = Read("StaleAfter", defaults.StaleAfter) };
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

        return TimeSpan.Parse(value ?? throw new InvalidOperationException("Ordering:OrderTimeout is configured nowhere."),
            CultureInfo.InvariantCulture);
    }
}
