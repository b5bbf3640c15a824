using System.Net;
using MsaShop.Client;
using MsaShop.Contracts;
using MsaShop.EndToEnd.Tests.Infrastructure;

namespace MsaShop.EndToEnd.Tests;

/// <summary>MsaShop.Client against the running shop, through the gateway: typed answers, ETags, keys and problems.</summary>
public sealed class ShopClientTests(ShopFixture fixture)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private ShopClient Shop => fixture.Api;

    [Fact]
    public async Task An_item_an_admin_creates_reads_back_by_id_in_a_page_by_ids_and_with_its_price()
    {
        var created = await Shop.CreateItemAsync(new("Client mug " + Guid.NewGuid().ToString("N")[..8], "read back by the client", 4.5m, 7),
            Shoppers.AdminToken(), Cancellation);

        var read = await Shop.GetItemAsync(created.Value.Id, Cancellation);
        var page = await Shop.GetItemsAsync(search: created.Value.Name, cancellationToken: Cancellation);
        var summary = Assert.Single(await Shop.GetItemsByIdsAsync([created.Value.Id, int.MaxValue], Cancellation));
        var price = Assert.Single(await Shop.GetPricesAsync([created.Value.Id], Cancellation));

        Assert.Equal(created.Value, read.Value);
        Assert.Equal(created.ETag, read.ETag);
        Assert.Equal(created.Value, Assert.Single(page.Items));
        Assert.Equal(new CatalogItemSummary(created.Value.Id, created.Value.Name, 4.5m, 7), summary);
        Assert.Equal((created.Value.Id, 4.5m), (price.Id, price.Price));
    }

    [Fact]
    public async Task Bad_input_is_a_400_problem_with_its_title_and_the_fields_at_fault()
    {
        var refused = await Assert.ThrowsAsync<ShopApiException>(
            () => Shop.CreateItemAsync(new("", null, -1m, 1), Shoppers.AdminToken(), Cancellation));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("One or more validation errors occurred.", refused.Title);
        Assert.Equal(["name", "price"], refused.Problem!.Errors!.Keys.Order());
        Assert.Null(refused.RetryAfter);
    }

    [Fact]
    public async Task An_edit_sent_with_a_stale_ETag_is_a_412_and_changes_nothing()
    {
        var admin = Shoppers.AdminToken();
        var item = await Shop.CreateProductAsync(price: 10m);
        var read = await Shop.GetItemAsync(item.Id, Cancellation);

        var edited = await Shop.UpdateItemAsync(item.Id, new(item.Name, "edited once", 11m, null), read.ETag, admin, Cancellation);
        var stale = await Assert.ThrowsAsync<ShopApiException>(
            () => Shop.UpdateItemAsync(item.Id, new(item.Name, "edited from a stale read", 12m, null), read.ETag, admin, Cancellation));

        Assert.Equal((11m, "edited once"), (edited.Value.Price, edited.Value.Description));
        Assert.NotEqual(read.ETag, edited.ETag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal("Precondition Failed", stale.Title);
        Assert.Contains(edited.ETag, stale.Detail, StringComparison.Ordinal);
        Assert.Equal(edited.Value, (await Shop.GetItemAsync(item.Id, Cancellation)).Value);
    }

    [Fact]
    public async Task A_stock_adjustment_sent_twice_under_one_key_counts_once()
    {
        var admin = Shoppers.AdminToken();
        var item = await Shop.CreateProductAsync(price: 2m, stock: 10);
        var key = Guid.NewGuid().ToString();

        var first = await Shop.AdjustStockAsync(item.Id, new(5, "delivery"), key, admin, Cancellation);
        var again = await Shop.AdjustStockAsync(item.Id, new(5, "delivery"), key, admin, Cancellation);

        Assert.Equal((15, 15), (first.Value.AvailableStock, again.Value.AvailableStock));
    }

    [Fact]
    public async Task An_order_placed_twice_under_one_key_is_one_order_its_customer_reads_to_the_end()
    {
        var token = Shoppers.CustomerToken(Shoppers.NewCustomer());
        var product = await Shop.CreateProductAsync(price: 6m);
        var order = new PlaceOrderRequest([new(product.Id, 2)], "tok_visa");
        var key = Guid.NewGuid().ToString();

        var placed = await Shop.PlaceOrderAsync(order, key, token, Cancellation);
        var replayed = await Shop.TryPlaceOrderAsync(order, key, token, Cancellation);
        var ended = await Shop.WaitForOutcomeAsync(token, placed.OrderId);

        Assert.Equal((HttpStatusCode.Accepted, placed.OrderId), (replayed.Status, replayed.Value!.OrderId));
        Assert.False(replayed.IsRefusal);
        Assert.Equal((OrderStatuses.Completed, 12m), (ended.Status, ended.Total));
        Assert.Equal([placed.OrderId], (await Shop.GetOrdersAsync(token, Cancellation)).Select(o => o.OrderId));
        // Someone else's order answers as a missing one.
        Assert.Null(await Shop.FindOrderAsync(placed.OrderId, Shoppers.CustomerToken(Shoppers.NewCustomer()), Cancellation));
    }

    [Fact]
    public async Task An_order_without_a_token_is_refused_by_the_gateway_with_401()
    {
        var refused = await Assert.ThrowsAsync<ShopApiException>(
            () => Shop.PlaceOrderAsync(new([new(1, 1)], "tok_visa"), idempotencyKey: null, accessToken: null, Cancellation));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }
}
