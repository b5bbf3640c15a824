using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Payment.Tests;

/// <summary>The payment service in-process with a fresh database and virtual host, and a test bus in ordering's place.</summary>
public sealed class PaymentService : IAsyncDisposable
{
    private PaymentService(string messaging, string database, ServiceFactory<PaymentEntryPoint> host, TestBus bus) =>
        (Messaging, Database, Host, Bus) = (messaging, database, host, bus);

    public string Messaging { get; }

    public string Database { get; }

    public ServiceFactory<PaymentEntryPoint> Host { get; }

    public TestBus Bus { get; }

    /// <summary>Starts payment on a fresh database and virtual host, or on given ones (where another instance ran before).</summary>
    public static async Task<PaymentService> StartAsync(
        InfrastructureFixture infrastructure, IReadOnlyDictionary<string, string?>? settings = null, string? messaging = null,
        string? database = null)
    {
        messaging ??= await infrastructure.CreateVirtualHostAsync("payment");
        database ??= await infrastructure.CreateDatabaseAsync("payment");
        var host = new ServiceFactory<PaymentEntryPoint>(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ConnectionStrings:paymentdb"] = database,
            ["ConnectionStrings:messaging"] = messaging,
        });
        _ = host.Server;
        var bus = await TestBus.StartAsync(messaging);
        await infrastructure.WaitForConsumerAsync(messaging, "payment");
        return new PaymentService(messaging, database, host, bus);
    }

    public Task<long> ProviderChargesAsync(Guid orderId) => MsaShop.Tests.Support.Database.ProviderChargesAsync(Database, orderId);

    public async ValueTask DisposeAsync()
    {
        await Bus.DisposeAsync();
        await Host.DisposeAsync();
    }
}

public sealed class PaymentFixture(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    public PaymentService Service { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Service = await PaymentService.StartAsync(infrastructure, new Dictionary<string, string?>
    {
        // A poison message reaches the error queue after two quick retries instead of five slow ones.
        ["Messaging:RetryLimit"] = "2",
        ["Messaging:RetryMinInterval"] = "00:00:00.100",
        ["Messaging:RetryIntervalDelta"] = "00:00:00.100",
    });

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}
