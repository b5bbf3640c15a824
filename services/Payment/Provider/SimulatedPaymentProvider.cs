using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MsaShop.Payment.Provider;

/// <summary>
/// Test-card provider: <c>tok_decline…</c> declines, any other <c>tok_…</c> (e.g. <c>tok_visa</c>) approves.
/// Every call takes <see cref="PaymentProviderOptions.Latency"/>, half before the charge is recorded and half after
/// (request and response travel); a share of calls fails transiently, half of them after the charge went through
/// (a lost response), which is exactly when the idempotency key matters. Refunds behave the same way, keyed by the charge.
/// A key can be looked up (what did it charge?) and voided (it never will), as real providers allow.
/// </summary>
public sealed class SimulatedPaymentProvider(NpgsqlDataSource dataSource, IOptionsMonitor<PaymentProviderOptions> options)
    : IPaymentProvider
{
    public Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken) =>
        CallAsync(token => RecordChargeAsync(request, Decide(request.PaymentToken), token), cancellationToken);

    public Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken) =>
        CallAsync(token => RecordRefundAsync(request, token), cancellationToken);

    public Task<ChargeResult?> FindChargeAsync(Guid idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync(token => QueryChargeAsync(
            "SELECT charge_id AS ChargeId, approved AS Approved, decline_reason AS DeclineReason FROM simulated_provider_charges WHERE " +
                "idempotency_key = @idempotencyKey AND NOT voided",
            idempotencyKey, token), cancellationToken);

    // The key's row is the lock: either the void claims it first, or the charge that already holds it comes back.
    public Task<ChargeResult?> VoidAsync(Guid idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync(token => QueryChargeAsync(
            """
            WITH voided AS (
                INSERT INTO simulated_provider_charges (idempotency_key, charge_id, amount, approved, decline_reason, voided)
                VALUES (@idempotencyKey, 'void_' || replace(@idempotencyKey::text, '-', ''), 0, false, 'voided', true)
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING 1)
            SELECT charge_id AS ChargeId, approved AS Approved, decline_reason AS DeclineReason FROM simulated_provider_charges
            WHERE idempotency_key = @idempotencyKey AND NOT voided AND NOT EXISTS (SELECT 1 FROM voided)
            """,
            idempotencyKey, token), cancellationToken);

    // One round trip to the provider: a transient failure either before it records the operation or after (a lost answer).
    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> record, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        await Task.Delay(current.Latency / 2, cancellationToken);
        var failure = Random.Shared.NextDouble() < current.TransientFailureRate;
        if (failure && Random.Shared.Next(2) == 0)
        {
            throw new PaymentProviderTransientException("The provider is unavailable (simulated).");
        }

        var result = await record(cancellationToken);
        await Task.Delay(current.Latency / 2, cancellationToken);
        return failure ? throw new PaymentProviderTransientException("The provider's answer was lost (simulated).") : result;
    }

    private static (bool Approved, string? DeclineReason) Decide(string token) => token switch
    {
        _ when token.StartsWith("tok_decline", StringComparison.Ordinal) => (false, "card_declined"),
        _ when token.StartsWith("tok_", StringComparison.Ordinal) => (true, null),
        _ => (false, "invalid_token"),
    };

    // The first call with a key charges; every later call with it gets the stored answer back.
    private async Task<ChargeResult> RecordChargeAsync(ChargeRequest request, (bool Approved, string? DeclineReason) decision,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<ChargeResult>(new CommandDefinition(
            """
            WITH charged AS (
                INSERT INTO simulated_provider_charges (idempotency_key, charge_id, amount, approved, decline_reason)
                VALUES (@IdempotencyKey, @chargeId, @Amount, @Approved, @DeclineReason)
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING charge_id, approved, decline_reason)
            SELECT charge_id AS ChargeId, approved AS Approved, decline_reason AS DeclineReason FROM charged
            UNION ALL
            SELECT charge_id, approved, decline_reason FROM simulated_provider_charges
            WHERE idempotency_key = @IdempotencyKey AND NOT EXISTS (SELECT 1 FROM charged)
            """,
            new { request.IdempotencyKey, chargeId = $"ch_{Guid.NewGuid():N}", request.Amount, decision.Approved, decision.DeclineReason },
            cancellationToken: cancellationToken));
    }

    private async Task<ChargeResult?> QueryChargeAsync(string sql, Guid idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ChargeResult>(
            new CommandDefinition(sql, new { idempotencyKey }, cancellationToken: cancellationToken));
    }

    // A charge is refunded once, in full: the first call records the refund, later calls get that refund back.
    private async Task<RefundResult> RecordRefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<RefundResult>(new CommandDefinition(
            """
            WITH refunded AS (
                INSERT INTO simulated_provider_refunds (charge_id, refund_id, amount)
                VALUES (@ChargeId, @refundId, @Amount)
                ON CONFLICT (charge_id) DO NOTHING
                RETURNING refund_id)
            SELECT refund_id AS RefundId FROM refunded
            UNION ALL
            SELECT refund_id FROM simulated_provider_refunds
            WHERE charge_id = @ChargeId AND NOT EXISTS (SELECT 1 FROM refunded)
            """,
            new { request.ChargeId, refundId = $"re_{Guid.NewGuid():N}", request.Amount },
            cancellationToken: cancellationToken));
    }
}
