using System.Globalization;
using MsaShop.Catalog.Data;
using MsaShop.Contracts;

namespace MsaShop.Catalog.Api;

/// <summary>The API's input rules; each method returns field → messages, empty when the input is valid.</summary>
internal static class CatalogValidation
{
    public const int MaxSearchLength = 100;
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;
    // Small enough that the largest order (50 lines of 1000 units) still fits ordering's numeric(12,2) total.
    private const decimal MaxPrice = 100_000m;

    public static Dictionary<string, string[]> ValidatePaging(int page, int pageSize, string? search)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["page must be 1 or more."];
        }
        if (pageSize is < 1 or > CatalogApiLimits.MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {CatalogApiLimits.MaxPageSize}."];
        }
        if (search?.Length > MaxSearchLength || HasNul(search))
        {
            errors["search"] = [$"search must be at most {MaxSearchLength} characters, without NUL."];
        }
        return errors;
    }

    /// <summary>Accepts <c>ids=1,2,3</c> and <c>ids=1&amp;ids=2</c>; duplicates count once.</summary>
    public static (IReadOnlyCollection<int> Ids, Dictionary<string, string[]> Errors) ParseIds(string[]? values)
    {
        var ids = new HashSet<int>();
        var errors = new Dictionary<string, string[]>();
        foreach (var text in (values ?? [])
            .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                errors["ids"] = [$"'{text}' is not a product id."];
                return (ids, errors);
            }
            ids.Add(id);
        }
        if (ids.Count is 0 or > CatalogApiLimits.MaxIdsPerRequest)
        {
            errors["ids"] = [$"Give between 1 and {CatalogApiLimits.MaxIdsPerRequest} product ids, e.g. ids=1,2,3."];
        }
        return (ids, errors);
    }

    public const int MaxAdjustment = 1_000_000;
    public const int MaxReasonLength = 200;
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>A new item: every field, including its initial stock.</summary>
    public static Dictionary<string, string[]> ValidateItem(CatalogItemRequest item)
    {
        var errors = ValidateDetails(item);
        if (item.AvailableStock is null or < 0)
        {
            errors["availableStock"] = ["availableStock is required, 0 or more."];
        }
        return errors;
    }

    /// <summary>A PUT: name, description and price. Stock is not set from what someone read a while ago: it moves by adjustments.</summary>
    public static Dictionary<string, string[]> ValidateUpdate(CatalogItemRequest item)
    {
        var errors = ValidateDetails(item);
        if (item.AvailableStock is not null)
        {
            errors["availableStock"] =
                ["availableStock cannot be set by PUT: change stock with POST /api/catalog/items/{id}/stock-adjustments."];
        }
        return errors;
    }

    public static Dictionary<string, string[]> ValidateAdjustment(StockAdjustmentRequest adjustment, string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>();
        if (adjustment.Quantity is not { } quantity || quantity == 0 || Math.Abs((long)quantity) > MaxAdjustment)
        {
            errors["quantity"] = [$"quantity is required: units to add (or, negative, remove), not 0, at most {MaxAdjustment} either way."];
        }
        if (adjustment.Reason?.Length > MaxReasonLength || HasNul(adjustment.Reason))
        {
            errors["reason"] = [$"reason must be at most {MaxReasonLength} characters."];
        }
        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength } || HasNul(idempotencyKey))
        {
            errors["Idempotency-Key"] = [$"The Idempotency-Key header must be 1 to {MaxIdempotencyKeyLength} characters."];
        }
        return errors;
    }

    private static Dictionary<string, string[]> ValidateDetails(CatalogItemRequest item)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(item.Name) || item.Name.Length > MaxNameLength || HasNul(item.Name))
        {
            errors["name"] = [$"name is required, at most {MaxNameLength} characters."];
        }
        if (item.Description?.Length > MaxDescriptionLength || HasNul(item.Description))
        {
            errors["description"] = [$"description must be at most {MaxDescriptionLength} characters."];
        }
        // Nothing is free: a zero total would have nothing for payment to charge.
        if (item.Price is not { } price || price is <= 0 or > MaxPrice || decimal.Round(price, 2) != price)
        {
            errors["price"] = [$"price is required, more than 0 and at most {MaxPrice}, with at most 2 decimals."];
        }
        return errors;
    }

    // PostgreSQL text cannot hold U+0000: refuse it here rather than fail in the database.
    private static bool HasNul(string? text) => text?.Contains('\0', StringComparison.Ordinal) == true;
}
