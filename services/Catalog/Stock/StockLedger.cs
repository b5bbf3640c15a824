using Dapper;
using MsaShop.Contracts;
using Npgsql;

namespace MsaShop.Catalog.Stock;

/// <summary>
/// Stock movements of the order saga, each inside the caller's (inbox) transaction. The row in
/// stock_reservations, keyed by order id, is claimed first: whatever the order of, or repetition in, the
/// events, an order's stock is reserved at most once and released or committed at most once. Product rows
/// are locked in id order, so two orders sharing products queue instead of deadlocking, and the
/// CHECK (available_stock >= 0) backs the checks made under those locks.
/// </summary>
public sealed class StockLedger
{
    /// <summary>Reserves every line or none.</summary>
    public async Task<StockReservation> ReserveAsync(NpgsqlTransaction transaction, Guid orderId, IReadOnlyList<OrderLine> lines,
        CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        if (!await ClaimAsync(transaction, orderId, ReservationStatus.Reserved, cancellationToken))
        {
            return await CurrentAsync(transaction, orderId, cancellationToken);
        }

        // An order may name a product on several lines: reserve their sum.
        var wanted = lines.GroupBy(l => l.ProductId).ToDictionary(g => g.Key, g => g.Sum(l => (long)l.Quantity));
        var productIds = wanted.Keys.Order().ToArray();
        var rejection = lines.Count == 0 || lines.Any(l => l.Quantity <= 0) || wanted.Values.Any(q => q > int.MaxValue)
            ? RejectionReasons.InvalidQuantity
            : null;
        if (rejection is null)
        {
            var available = (await connection.QueryAsync<(int Id, int AvailableStock)>(new CommandDefinition(
                "SELECT id, available_stock FROM catalog_items WHERE id = ANY(@productIds) ORDER BY id FOR UPDATE",
                new { productIds }, transaction, cancellationToken: cancellationToken))).ToDictionary(p => p.Id, p => p.AvailableStock);
            rejection = productIds.Any(id => !available.ContainsKey(id)) ? RejectionReasons.UnknownProduct
                : productIds.Any(id => available[id] < wanted[id]) ? RejectionReasons.OutOfStock
                : null;
        }
        if (rejection is not null)
        {
            await SetStatusAsync(transaction, orderId, ReservationStatus.Rejected, rejection, cancellationToken);
            return new StockReservation(ReservationStatus.Rejected, rejection, []);
        }

        var quantities = productIds.Select(id => (int)wanted[id]).ToArray();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE catalog_items AS c
            SET available_stock = c.available_stock - w.quantity, updated_at = now()
            FROM unnest(@productIds, @quantities) AS w(product_id, quantity)
            WHERE c.id = w.product_id;

            INSERT INTO stock_reservation_lines (order_id, product_id, quantity)
            SELECT @orderId, w.product_id, w.quantity FROM unnest(@productIds, @quantities) AS w(product_id, quantity);
            """,
            new { orderId, productIds, quantities }, transaction, cancellationToken: cancellationToken));
        return new StockReservation(ReservationStatus.Reserved, null, productIds);
    }

    /// <summary>Puts back exactly what the order holds. A cancellation that overtakes its order leaves a
    /// released row behind, so the late OrderSubmitted reserves nothing.</summary>
    public async Task<StockReservation> ReleaseAsync(NpgsqlTransaction transaction, Guid orderId, string reason,
        CancellationToken cancellationToken)
    {
        if (await ClaimAsync(transaction, orderId, ReservationStatus.Released, cancellationToken, reason))
        {
            return new StockReservation(ReservationStatus.Released, reason, []);
        }
        var current = await CurrentAsync(transaction, orderId, cancellationToken, forUpdate: true);
        if (current.Status != ReservationStatus.Reserved)
        {
            return current;
        }

        var connection = transaction.Connection!;
        var productIds = (await connection.QueryAsync<int>(new CommandDefinition(
            """
            SELECT c.id FROM catalog_items AS c JOIN stock_reservation_lines AS l ON l.product_id = c.id
            WHERE l.order_id = @orderId ORDER BY c.id FOR UPDATE OF c
            """,
            new { orderId }, transaction, cancellationToken: cancellationToken))).AsList();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE catalog_items AS c
            SET available_stock = c.available_stock + l.quantity, updated_at = now()
            FROM stock_reservation_lines AS l
            WHERE l.order_id = @orderId AND c.id = l.product_id
            """,
            new { orderId }, transaction, cancellationToken: cancellationToken));
        await SetStatusAsync(transaction, orderId, ReservationStatus.Released, reason, cancellationToken);
        return new StockReservation(ReservationStatus.Released, reason, productIds);
    }

    /// <summary>The order is paid: its reservation becomes a sale and can no longer be released. One statement, which
    /// changes nothing a second time (or for a reservation that was released or rejected).</summary>
    public static (string Sql, object[] Parameters) Commit(Guid orderId) => (
        "UPDATE stock_reservations SET status = $2, updated_at = now() WHERE order_id = $1 AND status = $3",
        [orderId, ReservationStatus.Committed, ReservationStatus.Reserved]);

    /// <summary>Creates the order's row with <paramref name="status"/>; false when the order already has one
    /// (a concurrent claimant waits here until the first commits, then finds it taken).</summary>
    private static async Task<bool> ClaimAsync(
        NpgsqlTransaction transaction, Guid orderId, string status, CancellationToken cancellationToken, string? reason = null) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO stock_reservations (order_id, status, reason) VALUES (@orderId, @status, @reason)
            ON CONFLICT (order_id) DO NOTHING
            """,
            new { orderId, status, reason }, transaction, cancellationToken: cancellationToken)) == 1;

    private static async Task<StockReservation> CurrentAsync(
        NpgsqlTransaction transaction, Guid orderId, CancellationToken cancellationToken, bool forUpdate = false)
    {
        var (status, reason) = await transaction.Connection!.QuerySingleAsync<(string Status, string? Reason)>(new CommandDefinition(
            $"SELECT status, reason FROM stock_reservations WHERE order_id = @orderId {(forUpdate ? "FOR UPDATE" : "")}",
            new { orderId }, transaction, cancellationToken: cancellationToken));
        return new StockReservation(status, reason, []);
    }

    private static async Task SetStatusAsync(NpgsqlTransaction transaction, Guid orderId, string status, string? reason,
        CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE stock_reservations SET status = @status, reason = @reason, updated_at = now() WHERE order_id = @orderId",
            new { orderId, status, reason }, transaction, cancellationToken: cancellationToken));
}
