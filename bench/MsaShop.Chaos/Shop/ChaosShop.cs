using System.Security.Cryptography;
using MsaShop.Chaos.Faults;
using MsaShop.Client;
using MsaShop.LoadGeneration;
using MsaShop.LocalInfrastructure;
using Npgsql;

namespace MsaShop.Chaos.Shop;

/// <summary>
/// The whole shop as deployed, every piece of which can be killed and started again: PostgreSQL, Redis and RabbitMQ
/// from Debian's packages (<see cref="LocalInfrastructure"/>) and the services as processes in Production
/// (<see cref="LocalShop"/>: catalog-0 and catalog-1, ordering, payment, gateway). Each service reaches its
/// database through a <see cref="TcpFaultProxy"/> of its own, so that link can be slowed or made lossy.
/// </summary>
public sealed class ChaosShop : IAsyncDisposable
{
    private readonly HttpClient _gateway;
    private readonly HttpClient _payment;

    private ChaosShop(LocalInfrastructure.LocalInfrastructure servers, IReadOnlyDictionary<string, TcpFaultProxy> links, LocalShop services, ShopTokens tokens)
    {
        Servers = servers;
        DatabaseLinks = links;
        Services = services;
        Tokens = tokens;
        _gateway = ShopClient.CreateHttpClient(services.Gateway, TimeSpan.FromSeconds(30));
        _payment = ShopClient.CreateHttpClient(services.Addresses["payment"], TimeSpan.FromSeconds(30));
    }

    public LocalInfrastructure.LocalInfrastructure Servers { get; }

    public LocalShop Services { get; }

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
        var tokens = ShopTokens.WithSigningKey(Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
        // PostgreSQL as deployed: with the tests' synchronous_commit=off a crash (postgres-crash) loses commits it acknowledged.
        var servers = await LocalInfrastructure.LocalInfrastructure.StartAsync(new LocalInfrastructureOptions { DurablePostgres = true }, cancellationToken);
        var links = ResourceNames.Databases.ToDictionary(database => database, _ => TcpFaultProxy.Start(servers.Postgres!.Port));
        try
        {
            string ThroughLink(string database) => new NpgsqlConnectionStringBuilder(servers.Postgres!.ConnectionString(database))
            {
                Port = links[database].Port,
            }.ConnectionString;

            var services = await LocalShop.StartAsync(servers, new LocalShopOptions
            {
                RepositoryRoot = repositoryRoot,
                SigningKey = tokens.SigningKey!,
                Settings = new Dictionary<string, IReadOnlyDictionary<string, string>>
                {
                    ["catalog"] = new Dictionary<string, string> { ["ConnectionStrings__catalogdb"] = ThroughLink(ResourceNames.CatalogDb) },
                    ["ordering"] = new Dictionary<string, string> { ["ConnectionStrings__orderingdb"] = ThroughLink(ResourceNames.OrderingDb) },
                    ["payment"] = new Dictionary<string, string> { ["ConnectionStrings__paymentdb"] = ThroughLink(ResourceNames.PaymentDb) },
                    // One load generator is many customers from one address: the per-client limit is not what is tested here.
                    ["gateway"] = new Dictionary<string, string> { ["Gateway__RateLimit__PermitLimit"] = "100000000" },
                },
            }, cancellationToken);
            return new ChaosShop(servers, links, services, tokens);
        }
        catch
        {
            await DisposeAsync(servers, links);
            throw;
        }
    }

    /// <summary>SIGKILL of one service instance (catalog-0, ordering, …): a crash, no shutdown code runs.</summary>
    public Task KillAsync(string instance) => Services.Process(instance).KillAsync();

    /// <summary>Starts the instance again at its address, as a platform restarts a crashed container; returns once healthy.</summary>
    public Task StartAgainAsync(string instance, CancellationToken cancellationToken) => Services.StartAgainAsync(instance, cancellationToken);

    /// <summary>Where an instance writes its log.</summary>
    public string LogOf(string instance) => Services.Process(instance).LogPath;

    /// <summary>Copies every server's and service's log to <paramref name="directory"/>: the run's own directory goes with it.</summary>
    public void CopyLogsTo(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var log in Directory.EnumerateFiles(Servers.Directory, "*.log", SearchOption.AllDirectories))
        {
            using var source = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var copy = File.Create(Path.Combine(directory, Path.GetFileName(log)));
            source.CopyTo(copy);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _gateway.Dispose();
        _payment.Dispose();
        await Services.DisposeAsync();
        await DisposeAsync(Servers, DatabaseLinks);
    }

    private static async Task DisposeAsync(LocalInfrastructure.LocalInfrastructure servers, IReadOnlyDictionary<string, TcpFaultProxy> links)
    {
        foreach (var link in links.Values)
        {
            await link.DisposeAsync();
        }
        await servers.DisposeAsync();
    }
}
