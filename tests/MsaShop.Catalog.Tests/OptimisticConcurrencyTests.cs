using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MsaShop.Catalog.Data;
using MsaShop.Catalog.Tests.Support;
using static MsaShop.Catalog.Tests.Support.CatalogRequests;
using MsaShop.Contracts;

namespace MsaShop.Catalog.Tests;

/// <summary>Admin writes that cannot lose someone else's change or invent stock (docs/optimistic-concurrency.md).</summary>
public sealed class OptimisticConcurrencyTests(CatalogService catalog) : IClassFixture<CatalogService>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly object PriceEdit = new { name = "Trail Mug", description = "Enamel, 350 ml.", price = 14.50m };

    [Fact]
    public async Task An_item_carries_its_version_as_an_ETag_and_a_PUT_without_If_Match_is_428()
    {
        using var admin = catalog.Factory.CreateClientFor("admin-1", "admin");
        var id = await catalog.AddProductAsync(stock: 3);

        using var read = await admin.GetAsync($"/api/catalog/items/{id}", Ct);
        using var blind = await admin.SendAsync(Put(id, PriceEdit, ifMatch: null), Ct);
        using var wildcard = await admin.SendAsync(Put(id, PriceEdit, ifMatch: "*"), Ct);

        Assert.Equal(new EntityTagHeaderValue("\"1\""), read.Headers.ETag);
        await AssertProblemAsync(blind, HttpStatusCode.PreconditionRequired);
        await AssertProblemAsync(wildcard, HttpStatusCode.PreconditionRequired);
        Assert.Equal(10m, (await CurrentAsync(id)).Price);
    }

    [Fact]
    public async Task A_PUT_with_the_ETag_of_a_version_someone_else_replaced_is_412_and_changes_nothing()
    {
        using var first = catalog.Factory.CreateClientFor("admin-1", "admin");
        using var second = catalog.Factory.CreateClientFor("admin-2", "admin");
        var id = await catalog.AddProductAsync(stock: 3);
        var etag = (await first.GetAsync($"/api/catalog/items/{id}", Ct)).Headers.ETag!.Tag;

        using var winner = await second.SendAsync(Put(id, new { name = "Renamed by admin-2", description = "", price = 11m }, etag), Ct);
        using var loser = await first.SendAsync(Put(id, PriceEdit, etag), Ct);
        using var weak = await first.SendAsync(Put(id, PriceEdit, $"W/{winner.Headers.ETag!.Tag}"), Ct);

        Assert.Equal(HttpStatusCode.OK, winner.StatusCode);
        await AssertProblemAsync(loser, HttpStatusCode.PreconditionFailed);
        Assert.Equal(winner.Headers.ETag, loser.Headers.ETag); // the version to read again
        await AssertProblemAsync(weak, HttpStatusCode.PreconditionFailed); // If-Match compares strongly
        var current = await CurrentAsync(id);
        Assert.Equal(("Renamed by admin-2", 11m), (current.Name, current.Price));
    }

    [Fact]
    public async Task A_price_edit_from_a_read_taken_before_an_order_reserved_stock_cannot_put_the_reserved_units_back()
    {
        using var admin = catalog.Factory.CreateClientFor("admin-1", "admin");
        var id = await catalog.AddProductAsync(stock: 10);
        using var read = await admin.GetAsync($"/api/catalog/items/{id}", Ct);
        Assert.Equal(10, (await read.Content.ReadFromJsonAsync<CatalogItem>(Ct))!.AvailableStock);

        // An order reserves 3 units after the admin read the item.
        var orderId = Guid.NewGuid();
        await catalog.Bus.Publish(new OrderSubmitted(orderId, "alice", [new OrderLine(id, 3)], DateTimeOffset.UtcNow), Ct);
        await Eventually.ReturnsAsync(() => catalog.ReservationStatusAsync(orderId), status => status == "reserved", "the reservation");

        // The admin's edit still applies (stock moves do not change the version) and leaves the stock alone.
        using var edit = await admin.SendAsync(Put(id, PriceEdit, read.Headers.ETag!.Tag), Ct);
        using var overwrite = await admin.SendAsync(
            Put(id, new { name = "Trail Mug", description = "", price = 14.50m, availableStock = 10 }, edit.Headers.ETag!.Tag), Ct);

        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.Equal((14.50m, 7), ((await edit.Content.ReadFromJsonAsync<CatalogItem>(Ct))!.Price, await catalog.StockOfAsync(id)));
        await AssertProblemAsync(overwrite, HttpStatusCode.BadRequest);
        Assert.Equal(7, await catalog.StockOfAsync(id));
    }

    [Fact]
    public async Task Stock_moves_by_relative_adjustments_never_below_zero_and_a_retried_adjustment_counts_once()
    {
        using var admin = catalog.Factory.CreateClientFor("admin-1", "admin");
        var id = await catalog.AddProductAsync(stock: 4);
        var key = Guid.NewGuid().ToString();

        using var delivery = await admin.SendAsync(Adjust(id, 6, "delivery", key), Ct);
        using var retried = await admin.SendAsync(Adjust(id, 6, "delivery", key), Ct);
        using var otherBody = await admin.SendAsync(Adjust(id, 5, "delivery", key), Ct);
        using var breakage = await admin.SendAsync(Adjust(id, -3, "broken in the warehouse"), Ct);
        using var tooMuch = await admin.SendAsync(Adjust(id, -8, "miscount"), Ct);
        using var zero = await admin.SendAsync(Adjust(id, 0, "nothing"), Ct);
        using var unknown = await admin.SendAsync(Adjust(987654, 1, "delivery"), Ct);

        Assert.Equal(10, (await delivery.Content.ReadFromJsonAsync<CatalogItem>(Ct))!.AvailableStock);
        Assert.Equal(10, (await retried.Content.ReadFromJsonAsync<CatalogItem>(Ct))!.AvailableStock);
        await AssertProblemAsync(otherBody, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(7, (await breakage.Content.ReadFromJsonAsync<CatalogItem>(Ct))!.AvailableStock);
        await AssertProblemAsync(tooMuch, HttpStatusCode.Conflict);
        await AssertProblemAsync(zero, HttpStatusCode.BadRequest);
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.Equal(7, await catalog.StockOfAsync(id));
        Assert.Equal(7, (await CurrentAsync(id)).AvailableStock); // the cached item was refreshed
    }

    [Fact]
    public async Task An_adjustment_past_the_most_stock_a_count_holds_is_a_409_problem_and_changes_nothing()
    {
        using var admin = catalog.Factory.CreateClientFor("admin-1", "admin");
        var id = await catalog.AddProductAsync(stock: int.MaxValue - 5);

        using var overflow = await admin.SendAsync(Adjust(id, 10, "delivery"), Ct);
        using var last = await admin.SendAsync(Adjust(id, 5, "delivery"), Ct);

        await AssertProblemAsync(overflow, HttpStatusCode.Conflict);
        Assert.Equal(int.MaxValue, (await last.Content.ReadFromJsonAsync<CatalogItem>(Ct))!.AvailableStock);
        Assert.Equal(int.MaxValue, await catalog.StockOfAsync(id));
    }

    [Fact]
    public async Task The_same_Idempotency_Key_sent_by_many_clients_at_once_adjusts_the_stock_once()
    {
        var id = await catalog.AddProductAsync(stock: 4);
        var key = Guid.NewGuid().ToString();

        // Each client its own connection, all at once: the losers of the race on the key's unique index answer as the winner did.
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var admin = catalog.Factory.CreateClientFor("admin-1", "admin");
            using var response = await admin.SendAsync(Adjust(id, 3, "delivery", key), Ct);
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<CatalogItem>(Ct))?.AvailableStock);
        }));

        Assert.All(answers, answer => Assert.Equal((HttpStatusCode.OK, (int?)7), answer));
        Assert.Equal(7, await catalog.StockOfAsync(id));
        await using var connection = await catalog.Database.OpenConnectionAsync(Ct);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM stock_adjustments WHERE product_id = @id AND idempotency_key = @key", new { id, key }));
    }

    [Fact]
    public async Task Only_an_admin_adjusts_stock()
    {
        using var anonymous = catalog.Factory.CreateClient();
        using var customer = catalog.Factory.CreateClientFor("alice");
        var id = await catalog.AddProductAsync(stock: 1);

        using var unauthenticated = await anonymous.SendAsync(Adjust(id, 100, "free stock"), Ct);
        using var forbidden = await customer.SendAsync(Adjust(id, 100, "free stock"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(1, await catalog.StockOfAsync(id));
    }

    private async Task<CatalogItem> CurrentAsync(int id)
    {
        using var client = catalog.Factory.CreateClient();
        return (await client.GetFromJsonAsync<CatalogItem>($"/api/catalog/items/{id}", Ct))!;
    }

    private static HttpRequestMessage Put(int id, object body, string? ifMatch) =>
        CatalogRequests.Put($"/api/catalog/items/{id}", body, ifMatch);

    private static HttpRequestMessage Adjust(int id, int quantity, string reason, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/catalog/items/{id}/stock-adjustments")
        {
            Content = JsonContent.Create(new { quantity, reason }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

}
