using System.Reflection;
using MsaShop.EndToEnd.Tests.Telemetry;
using MsaShop.LocalInfrastructure;

namespace MsaShop.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The whole shop, every service a real process on loopback (<see cref="LocalShop"/>) against real
/// PostgreSQL, Redis and RabbitMQ, all exporting their spans to <see cref="Traces"/>. Started once per assembly.
/// </summary>
public sealed class ShopFixture : IAsyncLifetime
{
    private LocalInfrastructure.LocalInfrastructure? _infrastructure;
    private LocalShop? _shop;
    private OtlpTraceReceiver? _traces;
    private ShopApi? _api;

    /// <summary>The canary weight the tests start from and return to: everyone on the stable catalog.</summary>
    public const int DefaultCanaryWeight = 0;

    public LocalShop Shop => _shop ?? throw new InvalidOperationException("the shop has not started");

    public OtlpTraceReceiver Traces => _traces ?? throw new InvalidOperationException("the shop has not started");

    /// <summary>The public HTTP API, through the gateway.</summary>
    public ShopApi Api => _api ?? throw new InvalidOperationException("the shop has not started");

    public async ValueTask InitializeAsync()
    {
        try
        {
            _traces = await OtlpTraceReceiver.StartAsync();
            _infrastructure = await LocalInfrastructure.LocalInfrastructure.StartAsync();
            _shop = await LocalShop.StartAsync(_infrastructure, new LocalShopOptions
            {
                // The services come from the same build configuration as this test assembly.
                Configuration = typeof(ShopFixture).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration,
                CanaryWeight = DefaultCanaryWeight,
                OtlpEndpoint = _traces.Endpoint,
                Environment = new Dictionary<string, string>
                {
                    ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                    // Spans reach the receiver within a fraction of a second instead of the default 5 s.
                    ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                },
            });
            _api = new ShopApi(_shop.GatewayUrl);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        if (_shop is not null) await _shop.DisposeAsync();
        if (_infrastructure is not null) await _infrastructure.DisposeAsync();
        if (_traces is not null) await _traces.DisposeAsync();
    }
}
