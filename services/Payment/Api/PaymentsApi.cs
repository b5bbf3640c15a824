using Microsoft.AspNetCore.Http.HttpResults;
using MsaShop.Payment.Payments;

namespace MsaShop.Payment.Api;

public sealed record PaymentResponse(
    Guid PaymentId, Guid OrderId, decimal Amount, string Status, string? FailureReason, string? ProviderChargeId, string? ProviderRefundId,
    DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>Internal lookup for operators and other services; the gateway has no route here.</summary>
public static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/payments").RequireAuthorization().WithTags("Payments")
            .MapGet("/{orderId:guid}", GetPaymentAsync);
        return app;
    }

    public static async Task<Results<Ok<PaymentResponse>, ProblemHttpResult>> GetPaymentAsync(
        Guid orderId, PaymentStore payments, CancellationToken cancellationToken) =>
        await payments.FindByOrderAsync(orderId, cancellationToken) is { } p
            ? TypedResults.Ok(new PaymentResponse(p.Id, p.OrderId, p.Amount, p.Status.ToString(), p.FailureReason, p.ProviderChargeId,
                p.ProviderRefundId, p.CreatedAt, p.UpdatedAt))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No payment for this order");
}
