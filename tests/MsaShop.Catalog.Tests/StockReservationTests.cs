using System.Net.Http.Json;
using Dapper;
using MassTransit;
using MsaShop.Catalog.Data;
using MsaShop.Catalog.Tests.Support;
using MsaShop.Contracts;

namespace MsaShop.Catalog.Tests;

/// <summary>The catalog's part of the order saga, driven through the real broker, inbox and outbox.</summary>
public sealed class StockReservationTests(CatalogService catalog) : IClassFixture<CatalogService>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fifty_orders_racing_for_ten_units_reserve_exactly_ten()
    {
        var productId = await catalog.AddProductAsync(stock: 10);
        var orders = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();

        await Task.WhenAll(orders.Select(orderId => catalog.Bus.Publish(Submitted(orderId, (productId, 1)), Ct)));
        var statuses = await Eventually.ReturnsAsync(
            () => StatusesAsync(orders), s => s.Count == 50, "an answer to all 50 orders");

        Assert.Equal(10, statuses.Count(s => s.Status == "reserved"));
        Assert.Equal(40, statuses.Count(s => s is { Status: "rejected", Reason: CancellationReasons.OutOfStock }));
        Assert.Equal(0, await catalog.StockOfAsync(productId));
        Assert.Equal(10,
            await QueryAsync<long>("SELECT coalesce(sum(quantity), 0) FROM stock_reservation_lines WHERE product_id = @productId",
            new { productId }));
        Assert.Equal(10, await AnswersAsync<StockReserved>(orders));
        Assert.Equal(40, await AnswersAsync<StockReservationFailed>(orders));
    }

    [Fact]
    public async Task A_redelivered_OrderSubmitted_reserves_once_answers_once_and_refreshes_the_cached_item()
    {
        var productId = await catalog.AddProductAsync(stock: 5);
        var orderId = Guid.NewGuid();
        var messageId = NewId.NextGuid();
        using var client = catalog.Factory.CreateClient();
        Assert.Equal(5, (await client.GetFromJsonAsync<CatalogItem>($"/api/catalog/items/{productId}", Ct))!.AvailableStock); // now cached

        await catalog.Bus.Publish(Submitted(orderId, (productId, 2)), context => context.MessageId = messageId, Ct);
        await catalog.Bus.Publish(Submitted(orderId, (productId, 2)), context => context.MessageId = messageId, Ct);
        await catalog.WaitUntilQueueIsDrainedAsync();

        Assert.Equal("reserved", await catalog.ReservationStatusAsync(orderId));
        Assert.Equal(3, await catalog.StockOfAsync(productId));
        Assert.Equal(1, await AnswersAsync<StockReserved>([orderId]));
        Assert.Equal(1, await QueryAsync<long>("SELECT count(*) FROM inbox WHERE message_id = @messageId", new { messageId }));
        Assert.Equal(3, (await client.GetFromJsonAsync<CatalogItem>($"/api/catalog/items/{productId}", Ct))!.AvailableStock);
    }

    [Fact]
    public async Task An_order_with_an_unknown_product_reserves_nothing()
    {
        var productId = await catalog.AddProductAsync(stock: 5);
        var orderId = Guid.NewGuid();

        await catalog.Bus.Publish(Submitted(orderId, (productId, 1), (987654, 1)), Ct);
        await Eventually.ReturnsAsync(() => catalog.ReservationStatusAsync(orderId), s => s is not null, "an answer");

        Assert.Equal("UnknownProduct",
            await QueryAsync<string>("SELECT reason FROM stock_reservations WHERE order_id = @orderId", new { orderId }));
        Assert.Equal(5, await catalog.StockOfAsync(productId));
        Assert.Equal(1, await AnswersAsync<StockReservationFailed>([orderId]));
    }

    [Fact]
    public async Task Cancelling_releases_exactly_what_the_order_reserved_once_and_refreshes_the_cached_item()
    {
        var shoes = await catalog.AddProductAsync(stock: 10);
        var socks = await catalog.AddProductAsync(stock: 4);
        var (cancelled, kept) = (Guid.NewGuid(), Guid.NewGuid());
        using var client = catalog.Factory.CreateClient();

        // The cancelled order names shoes on two lines: 3 + 2 are reserved together.
        await catalog.Bus.Publish(Submitted(cancelled, (shoes, 3), (socks, 1), (shoes, 2)), Ct);
        await catalog.Bus.Publish(Submitted(kept, (shoes, 1)), Ct);
        await Eventually.ReturnsAsync(() => StatusesAsync([cancelled, kept]), s => s.All(r => r.Status == "reserved") && s.Count == 2,
            "both reservations");
        Assert.Equal(4, (await client.GetFromJsonAsync<CatalogItem>($"/api/catalog/items/{shoes}", Ct))!.AvailableStock); // now cached

        await catalog.Bus.Publish(new OrderCancelled(cancelled, CancellationReasons.PaymentDeclined), Ct);
        await catalog.Bus.Publish(new OrderCancelled(cancelled, CancellationReasons.TimedOut), Ct); // another message, same order
        await catalog.WaitUntilQueueIsDrainedAsync();

        Assert.Equal("released", await catalog.ReservationStatusAsync(cancelled));
        Assert.Equal((9, 4), (await catalog.StockOfAsync(shoes), await catalog.StockOfAsync(socks)));
        Assert.Equal(9, (await client.GetFromJsonAsync<CatalogItem>($"/api/catalog/items/{shoes}", Ct))!.AvailableStock);
    }

    [Fact]
    public async Task A_completed_order_stays_sold_and_a_cancel_that_overtakes_its_order_reserves_nothing()
    {
        var productId = await catalog.AddProductAsync(stock: 6);
        var (completed, overtaken) = (Guid.NewGuid(), Guid.NewGuid());

        await catalog.Bus.Publish(Submitted(completed, (productId, 2)), Ct);
        await Eventually.ReturnsAsync(() => catalog.ReservationStatusAsync(completed), s => s == "reserved", "the reservation");
        await catalog.Bus.Publish(new OrderCompleted(completed), Ct);
        await Eventually.ReturnsAsync(() => catalog.ReservationStatusAsync(completed), s => s == "committed", "the sale");
        await catalog.Bus.Publish(new OrderCancelled(completed, CancellationReasons.TimedOut), Ct);

        await catalog.Bus.Publish(new OrderCancelled(overtaken, CancellationReasons.TimedOut), Ct);
        await Eventually.ReturnsAsync(() => catalog.ReservationStatusAsync(overtaken), s => s == "released", "the cancellation");
        await catalog.Bus.Publish(Submitted(overtaken, (productId, 1)), Ct);
        await catalog.WaitUntilQueueIsDrainedAsync();

        Assert.Equal("committed", await catalog.ReservationStatusAsync(completed));
        Assert.Equal("released", await catalog.ReservationStatusAsync(overtaken));
        Assert.Equal(4, await catalog.StockOfAsync(productId));
    }

    private static OrderSubmitted Submitted(Guid orderId, params (int ProductId, int Quantity)[] lines) =>
        new(orderId, "alice", lines.Select(l => new OrderLine(l.ProductId, l.Quantity)).ToList(), DateTimeOffset.UtcNow);

    private Task<List<(string Status, string? Reason)>> StatusesAsync(IReadOnlyList<Guid> orders) =>
        QueryListAsync<(string Status, string? Reason)>("SELECT status, reason FROM stock_reservations WHERE order_id = ANY(@orders)",
            new { orders = orders.ToArray() });

    /// <summary>How many answers of type <typeparamref name="T"/> to these orders the catalog wrote to its outbox.</summary>
    private async Task<long> AnswersAsync<T>(IReadOnlyList<Guid> orders) =>
        (await QueryListAsync<string>(
            "SELECT payload::text FROM outbox WHERE message_type LIKE @type || ',%'", new { type = typeof(T).FullName }))
        .Count(payload => orders.Any(o => payload.Contains(o.ToString(), StringComparison.OrdinalIgnoreCase)));

    private async Task<T> QueryAsync<T>(string sql, object parameters)
    {
        await using var connection = await catalog.Database.OpenConnectionAsync(Ct);
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException("no value");
    }

    private async Task<List<T>> QueryListAsync<T>(string sql, object parameters)
    {
        await using var connection = await catalog.Database.OpenConnectionAsync(Ct);
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }
}
