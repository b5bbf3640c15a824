using MsaShop.Catalog;
using MsaShop.Client;
using MsaShop.Ordering;
using MsaShop.Payment;
using MsaShop.Testing;

namespace MsaShop.Tests.Support;

/// <summary>How a test class wants its shop wired.</summary>
public sealed record ShopOptions
{
    /// <summary>Run the payment service in-process (false: no one answers PaymentRequested).</summary>
    public bool WithPayment { get; init; } = true;

    /// <summary>
    /// Give the catalog a virtual host of its own: it still prices orders over HTTP but takes no part in the saga, so the test can play its
    /// part.
    /// </summary>
    public bool CatalogOutOfTheSaga { get; init; }

    public IReadOnlyDictionary<string, string?> CatalogSettings { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyDictionary<string, string?> OrderingSettings { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyDictionary<string, string?> PaymentSettings { get; init; } = new Dictionary<string, string?>();
}

/// <summary>
/// Catalog (real Kestrel on loopback), ordering and payment as real in-process hosts, each with its own fresh
/// database, on one fresh RabbitMQ virtual host; plus a <see cref="TestBus"/> watching the saga's events.
/// </summary>
public sealed class Shop : IAsyncDisposable
{
    private Shop(InfrastructureFixture infrastructure) => Infrastructure = infrastructure;

    public InfrastructureFixture Infrastructure { get; }

    public string Messaging { get; private set; } = "";

    public string CatalogDatabase { get; private set; } = "";

    public string OrderingDatabase { get; private set; } = "";

    public string PaymentDatabase { get; private set; } = "";

    public ServiceFactory<CatalogEntryPoint> Catalog { get; private set; } = null!;

    public ServiceFactory<OrderingEntryPoint> Ordering { get; private set; } = null!;

    public ServiceFactory<PaymentEntryPoint>? Payment { get; private set; }

    public TestBus Bus { get; private set; } = null!;

    public static async Task<Shop> StartAsync(InfrastructureFixture infrastructure, ShopOptions? options = null)
    {
        options ??= new ShopOptions();
        var shop = new Shop(infrastructure);
        shop.Messaging = await infrastructure.CreateVirtualHostAsync("shop");
        shop.OrderingDatabase = await infrastructure.CreateDatabaseAsync("ordering");
        shop.PaymentDatabase = await infrastructure.CreateDatabaseAsync("payment");
        shop.CatalogDatabase = await infrastructure.CreateDatabaseAsync("catalog");

        var catalogMessaging = options.CatalogOutOfTheSaga ? await infrastructure.CreateVirtualHostAsync("catalog") : shop.Messaging;
        var catalogCache = infrastructure.CreateCache();
        shop.Catalog = new ServiceFactory<CatalogEntryPoint>(
            ShopWiring.Catalog(shop.CatalogDatabase, catalogCache, catalogMessaging).Over(options.CatalogSettings));
        var catalogAddress = shop.Catalog.StartOnLoopback();

        shop.Ordering = new ServiceFactory<OrderingEntryPoint>(
            ShopWiring.Ordering(shop.OrderingDatabase, shop.Messaging, catalogAddress).Over(options.OrderingSettings));
        _ = shop.Ordering.Server; // starts the host: migrations, bus, timeout sweep

        shop.Bus = await TestBus.StartAsync(shop.Messaging);
        await infrastructure.WaitForConsumerAsync(shop.Messaging, "ordering");
        shop.PaymentSettings = options.PaymentSettings;
        if (options.WithPayment)
        {
            await shop.StartPaymentAsync();
        }

        if (!options.CatalogOutOfTheSaga)
        {
            await infrastructure.WaitForConsumerAsync(shop.Messaging, "catalog");
        }

        return shop;
    }

    private IReadOnlyDictionary<string, string?> PaymentSettings { get; set; } = new Dictionary<string, string?>();

    /// <summary>
    /// Starts the payment service in-process (with the shop's payment settings, unless given others) and waits until it consumes from its
    /// queue.
    /// </summary>
    public async Task StartPaymentAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        Payment = new ServiceFactory<PaymentEntryPoint>(ShopWiring.Payment(PaymentDatabase, Messaging).Over(settings ?? PaymentSettings));
        _ = Payment.Server;
        await Infrastructure.WaitForConsumerAsync(Messaging, "payment");
    }

    /// <summary>Stops the payment service; its durable queue stays bound and collects what is published meanwhile.</summary>
    public async Task StopPaymentAsync()
    {
        if (Payment is not null)
        {
            await Payment.DisposeAsync();
            Payment = null;
        }
    }

    /// <summary>The public API of ordering, as <paramref name="customerId"/>.</summary>
    public ShopClient Customer(string customerId) => new(Ordering.CreateClientFor(customerId), disposeHttpClient: true);

    /// <summary>A product of the test's own, so stock counts are the test's alone.</summary>
    public async Task<int> CreateProductAsync(decimal price, int stock)
    {
        using var admin = new ShopClient(Catalog.CreateClientFor("catalog-admin", "admin"), disposeHttpClient: true);
        var created = await admin.CreateItemAsync(
            new($"Test product {Guid.NewGuid():N}", "Created by a saga test.", price, stock), accessToken: null,
            TestContext.Current.CancellationToken);
        return created.Value.Id;
    }

    public async Task<int> AvailableStockAsync(int productId)
    {
        using var catalog = new ShopClient(Catalog.CreateClient(), disposeHttpClient: true);
        return (await catalog.GetItemsByIdsAsync([productId], TestContext.Current.CancellationToken)).Single().AvailableStock;
    }

    public async ValueTask DisposeAsync()
    {
        await Bus.DisposeAsync();
        await StopPaymentAsync();

        await Ordering.DisposeAsync();
        await Catalog.DisposeAsync();
    }
}
