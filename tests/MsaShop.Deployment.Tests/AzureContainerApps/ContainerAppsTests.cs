using MsaShop.ServiceDefaults.Authentication;

namespace MsaShop.Deployment.Tests.AzureContainerApps;

/// <summary>What the container apps promise beyond the manifest: one public door, probes, autoscaling, scale to zero, secrets.</summary>
public sealed class ContainerAppsTests
{
    private static readonly IReadOnlyDictionary<string, ContainerApp> Apps = ContainerApp.All();

    // The apps built from MsaShop's projects (the others run Redis and RabbitMQ).
    private static readonly string[] ServiceNames = ["catalog", "catalog-canary", "ordering", "payment", "gateway"];

    public static TheoryData<string> Services => new(ServiceNames);

    [Fact]
    public void Only_the_gateway_is_reachable_from_outside_the_environment()
    {
        var external = Apps.Values.Where(app => (bool?)app.Ingress?["external"] == true).Select(app => app.Name);

        Assert.Equal(["gateway"], external);
        Assert.Equal(false, (bool?)Apps["gateway"].Ingress!["allowInsecure"]);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Each_service_is_restarted_by_alive_and_taken_out_of_rotation_by_health(string service)
    {
        var app = Apps[service];

        Assert.Equal("/alive", (string?)app.Probe("Liveness")?["httpGet"]?["path"]);
        Assert.Equal("/health", (string?)app.Probe("Readiness")?["httpGet"]?["path"]);
        // Start-up (migrations) is given its own budget, so liveness never kills a replica that is still starting.
        Assert.Equal("/alive", (string?)app.Probe("Startup")?["httpGet"]?["path"]);
        Assert.All(app.Probes, probe => Assert.Equal(app.ListeningPort, (int?)probe["httpGet"]!["port"]));
    }

    [Fact]
    public void Payment_sleeps_only_where_the_broker_keeps_its_queues_and_scales_out_on_its_queue()
    {
        var payment = Apps["payment"];
        var broker = Apps["messaging"];

        // A broker without a volume loses the payment queue on restart; only a running payment declares it again.
        var durable = (broker.Container["volumeMounts"]?.AsArray() ?? []).Any(m => (string?)m!["mountPath"] == "/var/lib/rabbitmq");
        Assert.True(durable || payment.MinReplicas >= 1, "payment may sleep at zero while a broker restart would delete its queue");
        Assert.True((int?)payment.Scale["maxReplicas"] > 1);
        var rule = Assert.Single(payment.Scale["rules"]!.AsArray())!["custom"]!;
        Assert.Equal("rabbitmq", (string?)rule["type"]);
        Assert.Equal("payment", (string?)rule["metadata"]!["queueName"]);
        Assert.Equal("QueueLength", (string?)rule["metadata"]!["mode"]);
        // KEDA reads the broker's address from the secret payment itself uses, never from a value of its own.
        var host = Assert.Single(rule["auth"]!.AsArray(), auth => (string?)auth!["triggerParameter"] == "host")!;
        Assert.Equal((string?)payment.Environment["ConnectionStrings__messaging"]["secretRef"], (string?)host["secretRef"]);
    }

    [Fact]
    public void Payment_reconciles_whether_or_not_orders_flow()
    {
        var payment = Apps["payment"];

        // Reconciliation runs in a running replica: one always runs, or a schedule of its own wakes one.
        var scheduled = (payment.Scale["rules"]?.AsArray() ?? []).Any(rule => (string?)rule!["custom"]?["type"] == "cron");
        Assert.True(payment.MinReplicas >= 1 || scheduled, "payment's reconciliation waits for traffic that may never come");
    }

    [Fact]
    public async Task The_gateway_believes_forwarded_headers_only_from_the_environments_subnet()
    {
        var infra = await Infrastructure.CompileAsync();
        var known = (string?)Apps["gateway"].Environment["Gateway__ForwardedHeaders__KnownNetworks__0"]["value"];

        // The ingress proxy runs in the environment's subnet: the value is that subnet's prefix, from main.bicep's outputs.
        Assert.Equal(AzdTemplate.EnvironmentValue("AZURE_CONTAINER_APPS_SUBNET_PREFIX"), known);
        Assert.Contains("AZURE_CONTAINER_APPS_SUBNET_PREFIX", infra.Outputs);
        var network = infra.Module("network")["properties"]!["template"]!;
        Assert.Contains("subnets[0].properties.addressPrefix", (string)network["outputs"]!["containerAppsSubnetPrefix"]!["value"]!,
            StringComparison.Ordinal);
        Assert.Contains("containerAppsSubnetId",
            ((string)infra.ResourceOf("resources",
            "Microsoft.App/managedEnvironments")["properties"]!["vnetConfiguration"]!["infrastructureSubnetId"]!),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("catalog")]
    [InlineData("ordering")]
    [InlineData("gateway")]
    public void Services_behind_the_gateway_scale_out_on_concurrent_HTTP_requests(string service)
    {
        var app = Apps[service];

        var rule = Assert.Single(app.Scale["rules"]!.AsArray())!;
        Assert.NotNull(rule["http"]?["metadata"]?["concurrentRequests"]);
        Assert.True((int?)app.Scale["maxReplicas"] > Math.Max(app.MinReplicas, 1));
    }

    [Fact]
    public async Task Every_secret_is_a_Key_Vault_reference_read_with_the_apps_identity_never_a_value()
    {
        var infra = await Infrastructure.CompileAsync();
        var vault = AzdTemplate.EnvironmentValue("AZURE_KEY_VAULT_ENDPOINT") + "secrets/";
        var identity = AzdTemplate.EnvironmentValue("AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID");

        foreach (var app in Apps.Values)
        {
            Assert.All(app.Secrets.Values, secret =>
            {
                Assert.Null(secret["value"]);
                Assert.Equal(identity, (string?)secret["identity"]);
                var url = (string)secret["keyVaultUrl"]!;
                Assert.StartsWith(vault, url, StringComparison.Ordinal);
                Assert.Contains(url[vault.Length..], infra.KeyVaultSecrets.Keys);
            });
            // What looks like a credential is always read from a secret.
            Assert.All(
                app.Environment.Where(variable => variable.Key.Contains("PASS", StringComparison.OrdinalIgnoreCase)
                    || variable.Key.Contains("Key", StringComparison.Ordinal)
                        || variable.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)),
                variable => Assert.NotNull((string?)variable.Value["secretRef"]));
        }
    }

    [Fact]
    public async Task The_signing_key_azd_asks_for_meets_the_services_rule_and_reaches_every_service_from_Key_Vault()
    {
        var infra = await Infrastructure.CompileAsync();
        var variable = $"{JwtIdentityOptions.SectionName}__{nameof(JwtIdentityOptions.SigningKey)}";

        var key = infra.Parameters["jwt_signing_key"]!;
        Assert.Equal("securestring", (string?)key["type"]);
        // A shorter key would pass `azd up` and then stop every service at start-up.
        Assert.Equal(JwtIdentityOptions.MinimumSigningKeyLength, (int?)key["minLength"]);
        Assert.All(ServiceNames, service => Assert.Equal("jwt-signing-key", Apps[service].KeyVaultSecretOf(variable)));
    }

    [Fact]
    public void Every_app_built_from_MsaShops_code_pulls_its_image_with_the_managed_identity()
    {
        var identity = AzdTemplate.EnvironmentValue("AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID");

        foreach (var service in ServiceNames)
        {
            var registry = Assert.Single(Apps[service].Configuration["registries"]!.AsArray())!;
            Assert.Equal(AzdTemplate.EnvironmentValue("AZURE_CONTAINER_REGISTRY_ENDPOINT"), (string?)registry["server"]);
            Assert.Equal(identity, (string?)registry["identity"]);
        }
    }
}
