using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using MsaShop.Testing.Aspire;

namespace MsaShop.AppHost.Tests;

/// <summary>
/// The whole AppHost (<see cref="AspireShop"/>), started once for the tests that need a running shop, with the Aspire
/// dashboard receiving the services' telemetry.
/// </summary>
public sealed class StartedShop : IAsyncLifetime
{
    public const string Collection = "started shop";

    // Generous: where a registry answers, the first run pulls the PostgreSQL, Redis and RabbitMQ images; the dashboard
    // starts first; a loaded two-core machine took over 5 minutes to report the gateway healthy.
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(10);

    private AspireShop? _shop;

    public DistributedApplication App => (_shop ?? throw new InvalidOperationException("the shop has not started")).App;

    /// <summary>A resource of the started application model, as the AppHost declared it.</summary>
    public T Resource<T>(string name)
        where T : IResource => (_shop ?? throw new InvalidOperationException("the shop has not started")).Resource<T>(name);

    public async ValueTask InitializeAsync()
    {
        _shop = await AspireShop.StartAsync<Projects.MsaShop_AppHost>(
            withDashboard: true, configure: _ => { }, StartupTimeout, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_shop is not null)
        {
            await _shop.DisposeAsync();
        }
    }
}

/// <summary>The test classes that share one <see cref="StartedShop"/>.</summary>
[CollectionDefinition(StartedShop.Collection)]
public sealed class StartedShopDefinition : ICollectionFixture<StartedShop>;
