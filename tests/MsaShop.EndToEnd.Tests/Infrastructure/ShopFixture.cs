using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using MsaShop.Client;
using MsaShop.EndToEnd.Tests.Telemetry;
using MsaShop.Testing;
using MsaShop.Testing.Aspire;

namespace MsaShop.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The whole shop as the AppHost describes it (Aspire.Hosting.Testing): PostgreSQL, Redis and RabbitMQ in
/// containers, every service a process under DCP, every process exporting its spans to <see cref="Traces"/>,
/// the gateway reading its live settings from <see cref="GatewayConfig"/>. Started once per assembly.
/// </summary>
public sealed class ShopFixture : IAsyncLifetime
{
    // The first start on a machine creates the PostgreSQL cluster and the RabbitMQ node; a loaded two-core
    // machine is slow. A bound, not a speed claim.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The canary weight the tests start from and return to: everyone on the stable catalog.</summary>
    public const int DefaultCanaryWeight = 0;

    private AspireShop? _shop;
    private ResourceStates? _states;
    private OtlpTraceReceiver? _traces;
    private GatewayConfigFile? _gatewayConfig;
    private ShopClient? _api;

    public DistributedApplication App => _shop?.App ?? throw NotStarted();

    public OtlpTraceReceiver Traces => _traces ?? throw NotStarted();

    /// <summary>The JSON file the gateway watches (GATEWAY_CONFIG_FILE): the canary weight changes here, live.</summary>
    public GatewayConfigFile GatewayConfig => _gatewayConfig ?? throw NotStarted();

    /// <summary>The public HTTP API, through the gateway.</summary>
    public ShopClient Api => _api ?? throw NotStarted();

    public CatalogReplicas CatalogReplicas => new(App, _states ?? throw NotStarted());

    /// <summary>
    /// A resource's http address as the test process reaches it (the gateway's, one catalog's...), without a trailing slash.
    /// </summary>
    public string AddressOf(string resource) => App.GetEndpoint(resource, "http").ToString().TrimEnd('/');

    /// <summary>The gateway service's own process id: it stays the same as long as the gateway is not restarted.</summary>
    public int GatewayPid()
    {
        Assert.True(App.ResourceNotifications.TryGetCurrentState("gateway", out var gateway), "the gateway resource reports no state");
        using var process = ResourceProcesses.ServiceProcess(gateway, "MsaShop.Gateway");
        return process.Id;
    }

    public async ValueTask InitializeAsync()
    {
        try
        {
            _traces = await OtlpTraceReceiver.StartAsync();
            _gatewayConfig = await GatewayConfigFile.CreateAsync(DefaultCanaryWeight);
            _shop = await AspireShop.StartAsync<Projects.MsaShop_AppHost>(withDashboard: false, appHost =>
            {
                foreach (var project in appHost.Resources.OfType<ProjectResource>().ToList())
                {
                    appHost.CreateResourceBuilder(project)
                        .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", _traces.Endpoint.ToString().TrimEnd('/'))
                        .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                        // Spans reach the receiver within a fraction of a second instead of Aspire's 1 s.
                        .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "200");
                }
                var gateway = appHost.Resources.OfType<ProjectResource>().Single(resource => resource.Name == "gateway");
                appHost.CreateResourceBuilder(gateway).WithEnvironment("GATEWAY_CONFIG_FILE", _gatewayConfig.Path);
            }, StartTimeout, TestContext.Current.CancellationToken);
            _states = new ResourceStates(_shop.App);
            var gateway = new HttpClient { BaseAddress = _shop.App.GetEndpoint("gateway", "http"), Timeout = TimeSpan.FromSeconds(30) };
            _api = new ShopClient(gateway, disposeHttpClient: true);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// After a restart: <see cref="ShopReadiness.WaitUntilTheGatewayFindsEveryServiceAsync(DistributedApplication, CancellationToken)"/>.
    /// </summary>
    public async Task WaitUntilTheGatewayFindsEveryServiceAsync()
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bounded.CancelAfter(Eventually.DefaultTimeout);
        await App.WaitUntilTheGatewayFindsEveryServiceAsync(bounded.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        if (_states is not null)
        {
            await _states.DisposeAsync();
        }
        if (_shop is not null)
        {
            // Stops every service and container (and waits for DCP to clean them up) before the receiver goes.
            await _shop.DisposeAsync();
        }
        if (_traces is not null)
        {
            await _traces.DisposeAsync();
        }
        _gatewayConfig?.Dispose();
    }

    private static InvalidOperationException NotStarted() => new("the shop has not started");
}
