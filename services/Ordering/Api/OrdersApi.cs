using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MsaShop.Contracts;
using MsaShop.Ordering.Admission;
using MsaShop.Ordering.Catalog;
using MsaShop.Ordering.Data;
using MsaShop.Ordering.Model;

namespace MsaShop.Ordering.Api;

public static class OrdersApi
{
    private const int MaxOrdersListed = 100;

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/orders").RequireAuthorization().WithTags("Orders");
        api.MapPost("/", PlaceOrderAsync)
            .WithSummary("Places an order for the caller; the saga then reserves stock and charges (202, poll the Location).")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/{orderId:guid}", GetOrderAsync)
            .WithSummary("One order; only its customer or an admin may read it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/", ListOrdersAsync)
            .WithSummary($"The caller's {MaxOrdersListed} most recent orders, newest first.");
        return app;
    }

    public static async Task<Results<Accepted<PlaceOrderResponse>, ValidationProblem, ProblemHttpResult>> PlaceOrderAsync(
        PlaceOrderRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ClaimsPrincipal user,
        OrderAdmission admission,
        OrderPlacement placement,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        var errors = PlaceOrderValidation.Validate(request, idempotencyKey);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!admission.HasRoom())
        {
            // Refused before anything is stored: the client may send the same request again after Retry-After.
            var seconds = (int)Math.Ceiling(admission.RetryAfter.TotalSeconds);
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Too many orders in flight",
                detail: $"The shop is busy with the orders it has taken; this one was not placed. Send it again in {seconds} s.");
        }

        try
        {
            return await placement.PlaceAsync(CustomerId(user), request, idempotencyKey, cancellationToken) switch
            {
                PlacementOutcome.Accepted(var order) => Accept(order, admission),
                PlacementOutcome.UnknownProducts(var ids) => TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["items"] = [$"Unknown product(s): {string.Join(", ", ids)}."] }),
                PlacementOutcome.KeyReused(var existing) => TypedResults.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency-Key reused",
                    detail: $"This Idempotency-Key already placed order {existing} with a different request body."),
                var other => throw new InvalidOperationException($"Unexpected outcome {other}."),
            };
        }
        catch (CatalogUnavailableException)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Catalog unavailable",
                detail: "Prices could not be fetched from the catalog; the order was not placed. Try again shortly.");
        }
    }

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> GetOrderAsync(
        Guid orderId, ClaimsPrincipal user, OrderStore orders, CancellationToken cancellationToken)
    {
        // Someone else's order answers exactly like a missing one: no hint that the id exists.
        return await orders.FindAsync(orderId, cancellationToken) is var (order, items)
            && (order.CustomerId == CustomerId(user) || user.IsInRole("admin"))
            ? TypedResults.Ok(OrderResponses.From(order, items))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found");
    }

    public static async Task<Ok<List<OrderResponse>>> ListOrdersAsync(ClaimsPrincipal user, OrderStore orders,
        CancellationToken cancellationToken)
    {
        var list = await orders.ListForCustomerAsync(CustomerId(user), MaxOrdersListed, cancellationToken);
        return TypedResults.Ok(list.Select(o => OrderResponses.From(o.Order, o.Items)).ToList());
    }

    private static Accepted<PlaceOrderResponse> Accept(Order order, OrderAdmission admission)
    {
        admission.Accepted();
        return TypedResults.Accepted($"/api/orders/{order.Id}", new PlaceOrderResponse(order.Id, order.Status.ToString()));
    }

    private static string CustomerId(ClaimsPrincipal user) =>
        user.FindFirstValue("sub") ?? throw new InvalidOperationException("An authenticated caller always has a subject.");
}
