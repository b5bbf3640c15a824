using System.Globalization;
using MsaShop.Catalog.Data;

namespace MsaShop.Catalog.Api;

/// <summary>The API's input rules; each method returns field → messages, empty when the input is valid.</summary>
internal static class CatalogValidation
{
    public const int MaxPageSize = 100;
    public const int MaxSearchLength = 100;
    public const int MaxBatchSize = 100;
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;
    private const decimal MaxPrice = 9_999_999_999.99m; // numeric(12,2)

    public static Dictionary<string, string[]> ValidatePaging(int page, int pageSize, string? search)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["page must be 1 or more."];
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        }
        if (search?.Length > MaxSearchLength)
        {
            errors["search"] = [$"search must be at most {MaxSearchLength} characters."];
        }
        return errors;
    }

    /// <summary>Accepts <c>ids=1,2,3</c> and <c>ids=1&amp;ids=2</c>; duplicates count once.</summary>
    public static (IReadOnlyCollection<int> Ids, Dictionary<string, string[]> Errors) ParseIds(string[]? values)
    {
        var ids = new HashSet<int>();
        var errors = new Dictionary<string, string[]>();
        foreach (var text in (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                errors["ids"] = [$"'{text}' is not a product id."];
                return (ids, errors);
            }
            ids.Add(id);
        }
        if (ids.Count is 0 or > MaxBatchSize)
        {
            errors["ids"] = [$"Give between 1 and {MaxBatchSize} product ids, e.g. ids=1,2,3."];
        }
        return (ids, errors);
    }

    public static Dictionary<string, string[]> ValidateItem(CatalogItemRequest item)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(item.Name) || item.Name.Length > MaxNameLength)
        {
            errors["name"] = [$"name is required, at most {MaxNameLength} characters."];
        }
        if (item.Description?.Length > MaxDescriptionLength)
        {
            errors["description"] = [$"description must be at most {MaxDescriptionLength} characters."];
        }
        if (item.Price is not { } price || price is < 0 or > MaxPrice || decimal.Round(price, 2) != price)
        {
            errors["price"] = [$"price is required, between 0 and {MaxPrice}, with at most 2 decimals."];
        }
        if (item.AvailableStock is null or < 0)
        {
            errors["availableStock"] = ["availableStock is required, 0 or more."];
        }
        return errors;
    }
}
