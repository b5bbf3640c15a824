using MsaShop.Contracts;

namespace MsaShop.LoadGeneration;

/// <summary>What the shop said to one order request.</summary>
public enum PlacementOutcome
{
    /// <summary>202: the shop has the order and must bring it to a terminal state.</summary>
    Accepted,

    /// <summary>A 4xx answer: the shop did not take it.</summary>
    Rejected,

    /// <summary>Refused with Retry-After (429 or 503: overload) every time it was sent: the shop did not take it.</summary>
    Refused,

    /// <summary>A 5xx, a timeout or a broken connection: it may or may not have been placed; its key tells.</summary>
    Uncertain,
}

/// <summary>One order the load sent, with what it needs to be sent again under the same Idempotency-Key.</summary>
public sealed record PlacedOrder(Guid IdempotencyKey, string CustomerId, PlaceOrderRequest Request, PlacementOutcome Outcome, Guid? OrderId,
    int? Status)
{
    public bool Declines => Request.PaymentToken!.StartsWith("tok_decline", StringComparison.Ordinal);
}
