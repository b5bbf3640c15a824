using MsaShop.Chaos.Faults;
using MsaShop.Client;
using MsaShop.LoadGeneration;
using MsaShop.Harness;
using Npgsql;

namespace MsaShop.Chaos.Shop;

/// <summary>
/// The <see cref="DeployedShop"/> on durable PostgreSQL, every piece of which can be killed and started again, with one
/// change to what the AppHost's manifest tells the services: each reaches its database through a
/// <see cref="TcpFaultProxy"/> of its own (the manifest's connection string overridden by the database's name), so that
/// link can be slowed or made lossy.
/// </summary>
public sealed class ChaosShop : IAsyncDisposable
{
    private readonly HttpClient _gateway;
    private readonly HttpClient _payment;

    private ChaosShop(DeployedShop shop, IReadOnlyDictionary<string, TcpFaultProxy> links)
    {
        Deployed = shop;
        DatabaseLinks = links;
        Tokens = ShopTokens.WithSigningKey(shop.SigningKey);
        _gateway = ShopClient.CreateHttpClient(shop.Gateway, TimeSpan.FromSeconds(30));
        _payment = ShopClient.CreateHttpClient(shop.Addresses["payment"], TimeSpan.FromSeconds(30));
    }

    public DeployedShop Deployed { get; }

    public BackingServers Servers => Deployed.Servers;

    public ShopTokens Tokens { get; }

    /// <summary>Each database's link, by database name (catalogdb, orderingdb, paymentdb).</summary>
    public IReadOnlyDictionary<string, TcpFaultProxy> DatabaseLinks { get; }

    public PostgresServer Postgres => Servers.Postgres!;

    public RedisServer Redis => Servers.Redis!;

    public RabbitMqServer RabbitMq => Servers.RabbitMq!;

    /// <summary>The public API, through the gateway.</summary>
    public ShopAccess Client => new(_gateway, Tokens);

    /// <summary>The payment service's own lookup (no gateway route leads there), for the ledger check.</summary>
    public PaymentLedger Payments => new(_payment, Tokens);

    /// <summary>A direct connection string to a database, past its fault proxy: for the ledger check.</summary>
    public string DatabaseConnectionString(string database) => Postgres.ConnectionString(database);

    public static async Task<ChaosShop> StartAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var links = new Dictionary<string, TcpFaultProxy>();
        try
        {
            var shop = await DeployedShop.StartAsync(new DeployedShopOptions
            {
                RepositoryRoot = repositoryRoot,
                // As deployed: with the tests' synchronous_commit=off a crash (postgres-crash) loses commits it acknowledged.
                DurablePostgres = true,
                Settings = DeployedShopOptions.LoadFromOneClient,
                ConnectionStrings = servers => ResourceNames.Databases.ToDictionary(database => database, database =>
                {
                    links[database] = TcpFaultProxy.Start(servers.Postgres!.Port);
                    var direct = servers.Postgres.ConnectionString(database);
                    return new NpgsqlConnectionStringBuilder(direct) { Port = links[database].Port }.ConnectionString;
                }),
            }, cancellationToken);
            return new ChaosShop(shop, links);
        }
        catch
        {
            await DisposeAsync(links);
            throw;
        }
    }

    /// <summary>SIGKILL of one service instance (catalog-0, ordering-0, …): a crash, no shutdown code runs.</summary>
    public Task KillAsync(string instance) => Deployed.Process(instance).KillAsync();

    /// <summary>Starts the instance again at its address, as a platform restarts a crashed container; returns once healthy.</summary>
    public Task StartAgainAsync(string instance, CancellationToken cancellationToken) =>
        Deployed.StartAgainAsync(instance, cancellationToken);

    /// <summary>Where an instance writes its log.</summary>
    public string LogOf(string instance) => Deployed.Process(instance).LogPath;

    /// <summary>Copies every server's and service's log to <paramref name="directory"/>: the run's own directory goes with it.</summary>
    public void CopyLogsTo(string directory) => Deployed.CopyLogsTo(directory);

    public async ValueTask DisposeAsync()
    {
        _gateway.Dispose();
        _payment.Dispose();
        await Deployed.DisposeAsync();
        await DisposeAsync(DatabaseLinks);
    }

    private static async Task DisposeAsync(IReadOnlyDictionary<string, TcpFaultProxy> links)
    {
        foreach (var link in links.Values)
        {
            await link.DisposeAsync();
        }
    }
}
