using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MsaShop.Testing;
using Npgsql;

namespace MsaShop.Catalog.Tests.Support;

/// <summary>One running catalog shared by the tests of a class, on its own database, vhost and Redis database.</summary>
public sealed class CatalogService(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private ServiceFactory<Program>? _factory;

    public ServiceFactory<Program> Factory => _factory ?? throw new InvalidOperationException("not started");

    public IReadOnlyDictionary<string, string?> Settings { get; private set; } = new Dictionary<string, string?>();

    public NpgsqlDataSource Database => Factory.Services.GetRequiredService<NpgsqlDataSource>();

    public async ValueTask InitializeAsync()
    {
        Settings = await CatalogSettings.CreateAsync(infrastructure, "catalog");
        _factory = new ServiceFactory<Program>(Settings);
        using var client = _factory.CreateClient(); // starts the host: migrations and seed run now
        // Until the bus has bound its queue, an event published to the broker would reach no one.
        await Eventually.ReturnsAsync(
            async () => (await client.GetFromJsonAsync<JsonElement>("/health")).GetProperty("status").GetString(),
            status => status == "Healthy",
            "the catalog to report Healthy");
    }

    public IBus Bus => Factory.Services.GetRequiredService<IBus>();

    /// <summary>Waits until the catalog's queue holds no message, delivered or not: everything published so far is handled.</summary>
    public async Task WaitUntilQueueIsDrainedAsync()
    {
        var virtualHost = Uri.UnescapeDataString(new Uri(Settings["ConnectionStrings:messaging"]!).AbsolutePath.TrimStart('/'));
        await Eventually.ReturnsAsync(
            () => infrastructure.RabbitMq.CtlAsync(TestContext.Current.CancellationToken,
                "list_queues", "-p", virtualHost, "-q", "--no-table-headers", "name", "messages", "messages_unacknowledged"),
            output => output.Split('\n', StringSplitOptions.TrimEntries).Contains("catalog\t0\t0"),
            "the catalog queue to drain");
    }

    public async Task<string?> ReservationStatusAsync(Guid orderId)
    {
        await using var connection = await Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT status FROM stock_reservations WHERE order_id = @orderId",
            new { orderId });
    }

    /// <summary>Adds a product with exactly <paramref name="stock"/> units, straight in the database.</summary>
    public async Task<int> AddProductAsync(int stock, decimal price = 10m)
    {
        await using var connection = await Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(
            "INSERT INTO catalog_items (name, description, price, available_stock) VALUES (@name, 'test product', @price, @stock) " +
                "RETURNING id",
            new { name = $"Test product {Guid.NewGuid():N}", price, stock });
    }

    public async Task<int> StockOfAsync(int productId)
    {
        await using var connection = await Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT available_stock FROM catalog_items WHERE id = @productId",
            new { productId });
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}
