using MsaShop.Contracts;

namespace MsaShop.Ordering.Api;

/// <summary>The checks a submission must pass before anything is looked up or stored; failures become a 400.</summary>
public static class PlaceOrderValidation
{
    public const int MaxLines = 50;
    public const int MaxQuantity = 1000;
    public const int MaxIdempotencyKeyLength = 200;

    public static Dictionary<string, string[]> Validate(PlaceOrderRequest request, string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>();
        var items = request.Items ?? [];
        if (items.Count == 0)
        {
            errors["items"] = ["An order needs at least one item."];
        }
        else if (items.Count > MaxLines)
        {
            errors["items"] = [$"An order has at most {MaxLines} lines."];
        }
        else if (items.OfType<PlaceOrderLine>().GroupBy(i => i.ProductId).Any(g => g.Count() > 1))
        {
            // Rejected rather than merged: the client meant something, and we will not guess what.
            errors["items"] = ["Each product may appear on one line only."];
        }

        for (var i = 0; i < Math.Min(items.Count, MaxLines); i++)
        {
            if (items[i] is null)
            {
                errors[$"items[{i}]"] = ["A line needs a productId and a quantity."];
                continue;
            }

            if (items[i].ProductId < 1)
            {
                errors[$"items[{i}].productId"] = ["A product id is a positive number."];
            }

            if (items[i].Quantity is < 1 or > MaxQuantity)
            {
                errors[$"items[{i}].quantity"] = [$"Quantity must be between 1 and {MaxQuantity}."];
            }
        }

        if (string.IsNullOrWhiteSpace(request.PaymentToken) || request.PaymentToken.Contains('\0', StringComparison.Ordinal))
        {
            errors["paymentToken"] = ["A payment token is required."];
        }

        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength })
        {
            errors["Idempotency-Key"] = [$"The Idempotency-Key header must be 1 to {MaxIdempotencyKeyLength} characters."];
        }

        return errors;
    }
}
