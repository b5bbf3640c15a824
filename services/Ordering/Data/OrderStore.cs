using Dapper;
using MsaShop.Ordering.Model;
using Npgsql;

namespace MsaShop.Ordering.Data;

/// <summary>Reads and writes orders with Dapper. Every state change is a conditional UPDATE (see <see cref="TransitionAsync"/>).</summary>
public sealed class OrderStore(NpgsqlDataSource dataSource)
{
    private const string OrderColumns = """
        id AS Id, customer_id AS CustomerId, status AS Status, total AS Total, payment_token AS PaymentToken,
        failure_reason AS FailureReason, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    private const string ItemColumns =
        "product_id AS ProductId, product_name AS ProductName, unit_price AS UnitPrice, quantity AS Quantity";

    public const string IdempotencyKeyIndex = "orders_customer_idempotency_key";

    public async Task<(Order Order, IReadOnlyList<OrderItem> Items)?> FindAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var order = await connection.QuerySingleOrDefaultAsync<Order>(new CommandDefinition(
            $"SELECT {OrderColumns} FROM orders WHERE id = @orderId", new { orderId }, cancellationToken: cancellationToken));
        if (order is null)
        {
            return null;
        }

        var items = await connection.QueryAsync<OrderItem>(new CommandDefinition(
            $"SELECT {ItemColumns} FROM order_items WHERE order_id = @orderId ORDER BY product_id", new { orderId },
            cancellationToken: cancellationToken));
        return (order, items.AsList());
    }

    /// <summary>The customer's most recent orders, newest first, each with its items.</summary>
    public async Task<IReadOnlyList<(Order Order, IReadOnlyList<OrderItem> Items)>> ListForCustomerAsync(
        string customerId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var orders = (await connection.QueryAsync<Order>(new CommandDefinition(
            $"SELECT {OrderColumns} FROM orders WHERE customer_id = @customerId ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { customerId, limit }, cancellationToken: cancellationToken))).AsList();
        var items = (await connection.QueryAsync<OrderItem, Guid, (OrderItem Item, Guid OrderId)>(new CommandDefinition(
                $"SELECT {ItemColumns}, order_id AS OrderId FROM order_items WHERE order_id = ANY(@ids) ORDER BY product_id",
                new { ids = orders.Select(o => o.Id).ToArray() }, cancellationToken: cancellationToken),
                (item, orderId) => (item, orderId), splitOn: "OrderId"))
            .ToLookup(row => row.OrderId, row => row.Item);
        return orders.Select(o => (o, (IReadOnlyList<OrderItem>)items[o.Id].ToList())).ToList();
    }

    /// <summary>The order an earlier request with the same Idempotency-Key created, with that request's fingerprint.</summary>
    public async Task<(Order Order, string RequestHash)?> FindByIdempotencyKeyAsync(string customerId, string idempotencyKey,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Order, string, (Order Order, string RequestHash)>(new CommandDefinition(
                $"SELECT {OrderColumns}, request_hash AS RequestHash FROM orders WHERE customer_id = @customerId AND idempotency_key = " +
                    $"@idempotencyKey",
                new { customerId, idempotencyKey }, cancellationToken: cancellationToken),
            (order, hash) => (order, hash), splitOn: "RequestHash");
        return rows.Select(row => ((Order, string)?)row).SingleOrDefault();
    }

    public static async Task InsertAsync(
        NpgsqlTransaction transaction, Order order, IReadOnlyList<OrderItem> items, string? idempotencyKey, string? requestHash,
        CancellationToken cancellationToken)
    {
        // The order and all its lines in one round trip.
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO orders (id, customer_id, status, total, payment_token, idempotency_key, request_hash, created_at, updated_at)
            VALUES (@Id, @CustomerId, @Status, @Total, @PaymentToken, @idempotencyKey, @requestHash, @CreatedAt, @UpdatedAt);
            INSERT INTO order_items (order_id, product_id, product_name, unit_price, quantity)
            SELECT @Id, * FROM unnest(@productIds, @productNames, @unitPrices, @quantities);
            """,
            new
            {
                order.Id, order.CustomerId, Status = order.Status.ToString(), order.Total, order.PaymentToken,
                idempotencyKey, requestHash, order.CreatedAt, order.UpdatedAt,
                productIds = items.Select(i => i.ProductId).ToArray(), productNames = items.Select(i => i.ProductName).ToArray(),
                unitPrices = items.Select(i => i.UnitPrice).ToArray(), quantities = items.Select(i => i.Quantity).ToArray(),
            },
            transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Applies <paramref name="transition"/> if, and only if, the order is in one of its From states at this
    /// moment; returns the updated order, or null when the transition does not apply (so a racing or late
    /// message cannot move an order backwards or twice).
    /// </summary>
    public static Task<Order?> TransitionAsync(NpgsqlTransaction transaction, Guid orderId, OrderTransition transition,
        CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<Order>(new CommandDefinition(
            $"""
            UPDATE orders SET status = @to, failure_reason = @reason, updated_at = now()
            WHERE id = @orderId AND status = ANY(@from)
            RETURNING {OrderColumns}
            """,
            new { orderId, to = transition.To.ToString(), transition.Reason, from = transition.From.Select(s => s.ToString()).ToArray() },
            transaction, cancellationToken: cancellationToken));

    public static Task<Order?> FindAsync(NpgsqlTransaction transaction, Guid orderId, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<Order>(new CommandDefinition(
            $"SELECT {OrderColumns} FROM orders WHERE id = @orderId", new { orderId }, transaction, cancellationToken: cancellationToken));

    /// <summary>Records that the money of a cancelled order went back; false when the order is not cancelled or already marked.</summary>
    public static async Task<bool> MarkRefundedAsync(NpgsqlTransaction transaction, Guid orderId, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE orders SET refunded_at = now() WHERE id = @orderId AND status = @cancelled AND refunded_at IS NULL",
            new { orderId, cancelled = nameof(OrderStatus.Cancelled) },
            transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>Up to <paramref name="batchSize"/> in-flight orders past their <paramref name="deadlines"/>, oldest first.</summary>
    public static async Task<IReadOnlyList<Guid>> FindStaleAsync(
        NpgsqlConnection connection, OrderDeadlines deadlines, IReadOnlyCollection<Guid> except, int batchSize,
        CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Guid>(new CommandDefinition(
            $"""
            SELECT id FROM orders
            WHERE {PastDeadline} AND id <> ALL(@except)
            ORDER BY updated_at
            LIMIT @batchSize
            """,
            new { from = InFlight, timeout = deadlines.Timeout, awaitingPaymentTimeout = deadlines.AwaitingPaymentTimeout,
                awaitingPayment = AwaitingPayment, except = except.ToArray(), batchSize },
            cancellationToken: cancellationToken))).AsList();

    /// <summary>
    /// Applies <see cref="OrderStateMachine.TimedOut"/> to the order if it is still in flight and past its
    /// <paramref name="deadlines"/>; false if not, or if someone holds it right now (SKIP LOCKED: a reply being handled, another replica's
    /// sweep).
    /// </summary>
    public static async Task<bool> TimeOutIfStaleAsync(NpgsqlTransaction transaction, Guid orderId, OrderDeadlines deadlines,
        CancellationToken cancellationToken)
    {
        var transition = OrderStateMachine.TimedOut;
        return await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE orders SET status = @to, failure_reason = @reason, updated_at = now()
            WHERE id = (
                SELECT id FROM orders
                WHERE id = @orderId AND {PastDeadline}
                FOR UPDATE SKIP LOCKED)
            """,
            new { orderId, to = transition.To.ToString(), transition.Reason, from = InFlight, timeout = deadlines.Timeout,
                awaitingPaymentTimeout = deadlines.AwaitingPaymentTimeout, awaitingPayment = AwaitingPayment },
            transaction, cancellationToken: cancellationToken)) == 1;
    }

    // The first bound is the shorter one, and the one orders_in_flight_updated can answer.
    private const string PastDeadline = """
        status = ANY(@from) AND updated_at < now() - @timeout
        AND (status <> @awaitingPayment OR updated_at < now() - @awaitingPaymentTimeout)
        """;

    private static readonly string AwaitingPayment = nameof(OrderStatus.AwaitingPayment);

    private static readonly string[] InFlight = [.. OrderStateMachine.TimedOut.From.Select(s => s.ToString())];
}
