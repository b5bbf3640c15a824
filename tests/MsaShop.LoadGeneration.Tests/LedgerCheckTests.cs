using MsaShop.Contracts;

namespace MsaShop.LoadGeneration.Tests;

/// <summary>The load generator against the shop as deployed, and the ledger check reading the books back.</summary>
public sealed class LedgerCheckTests(DeployedShopFixture shop)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_open_loop_run_of_orders_balances_the_ledger()
    {
        int[] products = [await shop.CreateProductAsync(stock: 1_000), await shop.CreateProductAsync(stock: 1_000)];
        var client = shop.Client;
        var before = await StockSnapshot.TakeAsync(client, products, Cancellation);

        var observed = new System.Collections.Concurrent.ConcurrentQueue<RequestOutcome>();
        var report = await LoadGenerator.RunAsync(client, new LoadTargets(products, products, ["load"], 1),
            new LoadProfile(rate: 20, TimeSpan.FromSeconds(4)) { Mix = OperationMix.OrdersOnly, DeclineShare = 0.25, Customers = 10 },
            observe: observed.Enqueue, cancellationToken: Cancellation);
        var ledger = await LedgerCheck.RunAsync(client, report.Orders, before,
            new LedgerCheckOptions { Payments = shop.Payments, SettleTimeout = TimeSpan.FromMinutes(1) }, Cancellation);

        Assert.Equal(80, report.Orders.Count);
        Assert.All(report.Orders, o => Assert.Equal(PlacementOutcome.Accepted, o.Outcome));
        // Every request is told to the observer as it ends, with what the report counts.
        Assert.Equal(80, observed.Count);
        Assert.All(observed, o => Assert.Equal((ShopOperation.PlaceOrder, 202), (o.Operation, o.Status)));
        Assert.True(ledger.Balanced, Describe(ledger));
        Assert.Equal(80, ledger.Accepted);
        Assert.InRange(ledger.Completed, 1, 79);
        Assert.Equal(80 - ledger.Completed, ledger.Cancelled["PaymentDeclined"]);
        Assert.Equal(ledger.Completed, ledger.SuccessfulCharges);
        // What the check compared, computed here from what was sent: the declined ones gave their stock back.
        var sold = report.Orders.Where(o => !o.Declines).SelectMany(o => o.Request.Items!).ToLookup(l => l.ProductId, l => l.Quantity);
        var after = await StockSnapshot.TakeAsync(client, products, Cancellation);
        Assert.All(products, p => Assert.Equal(before.Available[p] - sold[p].Sum(), after.Available[p]));
    }

    [Fact]
    public async Task The_ledger_check_reports_an_order_the_shop_lost_and_stock_that_moved_by_other_hands()
    {
        var product = await shop.CreateProductAsync(stock: 100);
        var client = shop.Client;
        var before = await StockSnapshot.TakeAsync(client, [product], Cancellation);
        var report = await LoadGenerator.RunAsync(client, new LoadTargets([product], [product], ["load"], 1),
            new LoadProfile(rate: 10, TimeSpan.FromSeconds(1)) { Mix = OperationMix.OrdersOnly, DeclineShare = 0 },
            cancellationToken: Cancellation);

        // Stock changed outside the orders, and an "accepted" order the shop never heard of.
        await client.RestockAsync([product], 5, Cancellation);
        var phantom =
            new PlacedOrder(Guid.NewGuid(), "customer-0000", report.Orders[0].Request, PlacementOutcome.Accepted, Guid.NewGuid(), 202);
        var ledger = await LedgerCheck.RunAsync(client, [.. report.Orders, phantom], before,
            new LedgerCheckOptions { Payments = shop.Payments, SettleTimeout = TimeSpan.FromSeconds(15) }, Cancellation);

        Assert.False(ledger.Balanced);
        Assert.Equal([phantom.OrderId!.Value], ledger.Lost);
        Assert.Empty(ledger.Stuck);
        var mismatch = Assert.Single(ledger.StockMismatches);
        Assert.Equal(product, mismatch.ProductId);
        Assert.Equal(mismatch.Expected + 5, mismatch.Actual);
    }

    [Fact]
    public async Task An_uncertain_order_is_settled_by_its_key_and_placed_once()
    {
        var product = await shop.CreateProductAsync(stock: 100);
        var client = shop.Client;
        var before = await StockSnapshot.TakeAsync(client, [product], Cancellation);
        var request = new PlaceOrderRequest([new PlaceOrderLine(product, 3)], "tok_visa");

        // One the shop did take, though its 202 was never seen; one it never received.
        var taken = Guid.NewGuid();
        var answer = await client.Api.TryPlaceOrderAsync(request, taken.ToString(), client.Tokens.Customer("customer-0001"), Cancellation);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, answer.Status);
        PlacedOrder[] uncertain =
        [
            new(taken, "customer-0001", request, PlacementOutcome.Uncertain, null, null),
            new(Guid.NewGuid(), "customer-0002", request, PlacementOutcome.Uncertain, null, null),
        ];
        var ledger = await LedgerCheck.RunAsync(client, uncertain, before,
            new LedgerCheckOptions { Payments = shop.Payments, SettleTimeout = TimeSpan.FromMinutes(1) }, Cancellation);

        Assert.True(ledger.Balanced, Describe(ledger));
        Assert.Equal(2, ledger.ResolvedByReplay);
        Assert.Equal(2, ledger.Completed);
        // Two orders of 3, not three: replaying the first key placed nothing new.
        var after = await StockSnapshot.TakeAsync(client, [product], Cancellation);
        Assert.Equal(before.Available[product] - 6, after.Available[product]);
    }

    private static string Describe(LedgerReport ledger)
    {
        using var writer = new StringWriter();
        ledger.WriteTo(writer);
        return writer.ToString();
    }
}
