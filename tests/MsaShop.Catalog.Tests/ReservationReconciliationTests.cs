using MsaShop.Catalog.Tests.Support;
using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Catalog.Tests;

/// <summary>Catalog's reconciliation of reservations whose order's end never arrived.</summary>
public sealed class ReservationReconciliationTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task A_reservation_that_cannot_be_updated_never_holds_up_the_others()
    {
        var settings = await CatalogSettings.CreateAsync(infrastructure, "catalog");
        settings["Catalog:Reconciliation:Interval"] = "00:00:00.500";
        settings["Catalog:Reconciliation:StaleAfter"] = "00:00:01";
        await using var catalog = new ServiceFactory<Program>(settings);
        var database = settings["ConnectionStrings:catalogdb"]!;
        _ = catalog.Server;

        // Three reservations long held, the oldest first in the job's order, and that one can never be updated.
        Guid[] orders = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        for (var i = 0; i < orders.Length; i++)
        {
            await Database.ExecuteAsync(database,
                "INSERT INTO stock_reservations (order_id, status, updated_at) VALUES (@orderId, 'reserved', now() - make_interval(hours " +
                    "=> 3 - @i))",
                new { orderId = orders[i], i });
        }
        await PoisonedRow.PoisonAsync(database, "stock_reservations", "order_id", orders[0]);

        // The other two are announced again (StockReserved in the outbox) and marked, however often the first one fails.
        await Eventually.TrueAsync(
            async () => await Database.CountAsync(database,
                "SELECT count(*) FROM stock_reservations WHERE order_id = ANY(@others) AND reconciled_at IS NOT NULL",
                new { others = orders[1..] }) == 2,
            "the other reservations to be reconciled");
        Assert.Equal(0, await Database.CountAsync(database,
            "SELECT count(*) FROM stock_reservations WHERE order_id = @orderId AND reconciled_at IS NOT NULL",
            new { orderId = orders[0] }));
        Assert.Contains(catalog.Logs.Entries, entry => entry.Message.Contains(orders[0].ToString(), StringComparison.Ordinal));
    }
}
