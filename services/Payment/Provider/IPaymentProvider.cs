namespace MsaShop.Payment.Provider;

/// <summary>
/// A card payment provider. Like real ones, it honours an idempotency key: the same key charges once and answers the same.
/// </summary>
public interface IPaymentProvider
{
    /// <exception cref="PaymentProviderTransientException">The call failed in a way worth retrying; the charge may or may not have
    /// happened.</exception>
    Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The charge made with <paramref name="idempotencyKey"/>, or null when none was: how to learn the outcome of a call whose answer was
    /// lost.
    /// </summary>
    /// <exception cref="PaymentProviderTransientException">The call failed in a way worth retrying.</exception>
    Task<ChargeResult?> FindChargeAsync(Guid idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Makes <paramref name="idempotencyKey"/> unable to charge from now on, unless it already did: then that charge is
    /// returned and nothing is voided. Null means the key is void (a later charge with it is declined).</summary>
    /// <exception cref="PaymentProviderTransientException">The call failed in a way worth retrying.</exception>
    Task<ChargeResult?> VoidAsync(Guid idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Gives a charge back in full, once: refunding the same charge again returns the first refund.</summary>
    /// <exception cref="PaymentProviderTransientException">The call failed in a way worth retrying; the refund may or may not have
    /// happened.</exception>
    Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken);
}

public sealed record ChargeRequest(Guid IdempotencyKey, decimal Amount, string PaymentToken);

public sealed record ChargeResult(string ChargeId, bool Approved, string? DeclineReason);

public sealed record RefundRequest(string ChargeId, decimal Amount);

public sealed record RefundResult(string RefundId);

public sealed class PaymentProviderTransientException(string message) : Exception(message);
