using Microsoft.Extensions.DependencyInjection;
using MsaShop.Catalog.Tests.Support;
using MsaShop.Messaging;
using MsaShop.Testing;
using MsaShop.Tests.Support;

namespace MsaShop.Catalog.Tests;

/// <summary>Catalog's retention of settled reservations: the saga's memory is kept as long as the inbox, no longer.</summary>
public sealed class ReservationRetentionTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Settled_reservations_past_retention_go_with_their_lines_in_bounded_batches_while_held_and_recent_ones_stay()
    {
        var settings = await CatalogSettings.CreateAsync(infrastructure, "catalog");
        // The service's own cleanup keeps 30 days, so it never touches the 2-day-old rows this test deletes by hand.
        settings["Messaging:Retention"] = "30.00:00:00";
        await using var catalog = new ServiceFactory<Program>(settings);
        var database = settings["ConnectionStrings:catalogdb"]!;
        _ = catalog.Server;
        var rule = catalog.Services.GetServices<RetentionRule>().Single(rule => rule.Table == "stock_reservations");
        var productId = await Database.ScalarAsync<int>(database,
            "INSERT INTO catalog_items (name, price, available_stock) VALUES ('retained', 1, 10) RETURNING id");

        (string Status, TimeSpan Age)[] reservations =
            [("committed", TimeSpan.FromDays(2)), ("released", TimeSpan.FromDays(2)), ("rejected", TimeSpan.FromDays(2)),
             ("reserved", TimeSpan.FromDays(2)), ("committed", TimeSpan.Zero)];
        foreach (var (status, age) in reservations)
        {
            await Database.ExecuteAsync(database,
                """
                WITH reservation AS (
                    INSERT INTO stock_reservations (order_id, status, updated_at) VALUES (gen_random_uuid(), @status, now() - @age)
                    RETURNING order_id)
                INSERT INTO stock_reservation_lines (order_id, product_id, quantity) SELECT order_id, @productId, 1 FROM reservation
                """,
                new { status, age, productId });
        }

        // Three settled reservations past a retention of one day, batches of two: two, then one, then none.
        Assert.Equal([2, 1, 0],
            await RetentionProbe.DeleteBatchesAsync(database, rule.DeleteBatchSql, TimeSpan.FromDays(1), batchSize: 2, runs: 3));
        Assert.Equal(["committed", "reserved"],
            await Database.QueryAsync<string>(database, "SELECT status FROM stock_reservations ORDER BY status"));
        Assert.Equal(2, await Database.CountAsync(database, "SELECT count(*) FROM stock_reservation_lines"));
        Assert.Contains(rule.Index, await RetentionProbe.PlanAsync(database, rule.DeleteBatchSql), StringComparison.Ordinal);
    }
}
