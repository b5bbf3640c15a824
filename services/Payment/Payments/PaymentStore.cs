using Dapper;
using MsaShop.Contracts;
using MsaShop.Payment.Provider;
using Npgsql;

namespace MsaShop.Payment.Payments;

public sealed class PaymentStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id AS Id, order_id AS OrderId, customer_id AS CustomerId, amount AS Amount, status AS Status,
        failure_reason AS FailureReason, provider_charge_id AS ProviderChargeId, provider_refund_id AS ProviderRefundId,
        charge_deadline AS ChargeDeadline, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    /// <summary>
    /// The order's payment: created (status Charging) and committed on its own connection if it did not exist,
    /// so its id survives whatever happens to the message being handled. Never a second row: payments_one_per_order.
    /// </summary>
    public async Task<Payment> GetOrCreateAsync(PaymentRequested request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<Payment>(new CommandDefinition(
            $"""
            WITH created AS (
                INSERT INTO payments (id, order_id, customer_id, amount, status, charge_deadline)
                VALUES (@id, @OrderId, @CustomerId, @Amount, @status, @Deadline)
                ON CONFLICT (order_id) DO NOTHING
                RETURNING *)
            SELECT {Columns} FROM created
            UNION ALL
            SELECT {Columns} FROM payments WHERE order_id = @OrderId AND NOT EXISTS (SELECT 1 FROM created)
            """,
            new { id = Guid.CreateVersion7(), request.OrderId, request.CustomerId, request.Amount, status = nameof(PaymentStatus.Charging),
                Deadline = request.Deadline?.ToUniversalTime() },
            cancellationToken: cancellationToken));
    }

    /// <summary>Records the provider's answer, once: null when another delivery already recorded it.</summary>
    public static Task<Payment?> SettleAsync(NpgsqlTransaction transaction, Guid paymentId, ChargeResult result,
        CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<Payment>(new CommandDefinition(
            $"""
            UPDATE payments SET status = @status, failure_reason = @DeclineReason, provider_charge_id = @ChargeId, updated_at = now()
            WHERE id = @paymentId AND status = @charging
            RETURNING {Columns}
            """,
            new
            {
                paymentId, result.ChargeId, result.DeclineReason,
                status = (result.Approved ? PaymentStatus.Succeeded : PaymentStatus.Declined).ToString(),
                charging = nameof(PaymentStatus.Charging),
            },
            transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Records the provider's refund, once: only a Succeeded payment becomes Refunded; null when it is not (or no longer) Succeeded.
    /// </summary>
    public static Task<Payment?> MarkRefundedAsync(NpgsqlTransaction transaction, Guid paymentId, RefundResult result,
        CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<Payment>(new CommandDefinition(
            $"""
            UPDATE payments SET status = @refunded, provider_refund_id = @RefundId, updated_at = now()
            WHERE id = @paymentId AND status = @succeeded
            RETURNING {Columns}
            """,
            new { paymentId, result.RefundId, refunded = nameof(PaymentStatus.Refunded), succeeded = nameof(PaymentStatus.Succeeded) },
            transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Records that the payment was never charged and never will be (its deadline passed, its key is void); null when it is not Charging.
    /// </summary>
    public static Task<Payment?> ExpireAsync(NpgsqlTransaction transaction, Guid paymentId, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleOrDefaultAsync<Payment>(new CommandDefinition(
            $"""
            UPDATE payments SET status = @expired, failure_reason = 'deadline passed', updated_at = now()
            WHERE id = @paymentId AND status = @charging
            RETURNING {Columns}
            """,
            new { paymentId, expired = nameof(PaymentStatus.Expired), charging = nameof(PaymentStatus.Charging) },
            transaction, cancellationToken: cancellationToken));

    /// <summary>Records that the order was completed: its charge is final. One statement, which changes nothing a second time.</summary>
    public static (string Sql, object[] Parameters) MarkOrderCompleted(Guid orderId) => (
        "UPDATE payments SET order_completed_at = now() WHERE order_id = $1 AND order_completed_at IS NULL", [orderId]);

    /// <summary>
    /// Up to <paramref name="batchSize"/> payments whose saga step has been open for <paramref name="staleAfter"/> (still Charging,
    /// or Succeeded without the order's completion) and that reconciliation has not touched for as long, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> FindStaleAsync(TimeSpan staleAfter, IReadOnlyCollection<Guid> except, int batchSize,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(
            $"""
            SELECT id FROM payments
            WHERE {Unsettled} AND coalesce(reconciled_at, updated_at) < now() - @staleAfter AND id <> ALL(@except)
            ORDER BY updated_at
            LIMIT @batchSize
            """,
            new { staleAfter, except = except.ToArray(), batchSize, charging = nameof(PaymentStatus.Charging),
                succeeded = nameof(PaymentStatus.Succeeded) },
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Marks the payment reconciled now and returns it, if it is still stale; null if not, or if someone holds it right now
    /// (SKIP LOCKED: another replica, a consumer settling it). Committed at once: no lock is held while the provider answers.
    /// </summary>
    public async Task<Payment?> ClaimIfStaleAsync(Guid paymentId, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Payment>(new CommandDefinition(
            $"""
            UPDATE payments SET reconciled_at = now()
            WHERE id = (
                SELECT id FROM payments
                WHERE id = @paymentId AND {Unsettled} AND coalesce(reconciled_at, updated_at) < now() - @staleAfter
                FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """,
            new { paymentId, staleAfter, charging = nameof(PaymentStatus.Charging), succeeded = nameof(PaymentStatus.Succeeded) },
            cancellationToken: cancellationToken));
    }

    // A payment whose saga step is still open (the partial index payments_unsettled covers exactly these).
    private const string Unsettled = "(status = @charging OR (status = @succeeded AND order_completed_at IS NULL))";

    public async Task<Payment?> FindAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Payment>(new CommandDefinition(
            $"SELECT {Columns} FROM payments WHERE id = @paymentId", new { paymentId }, cancellationToken: cancellationToken));
    }

    public async Task<Payment?> FindByOrderAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Payment>(new CommandDefinition(
            $"SELECT {Columns} FROM payments WHERE order_id = @orderId", new { orderId }, cancellationToken: cancellationToken));
    }
}
