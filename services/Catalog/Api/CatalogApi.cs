using Microsoft.AspNetCore.Http.HttpResults;
using MsaShop.Catalog.Api;
using MsaShop.Catalog.Caching;
using MsaShop.Catalog.Data;
using MsaShop.ServiceDefaults.Authorization;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The public catalog API (docs: DESIGN.md "Public HTTP contract"); reads are anonymous, writes need role admin.</summary>
public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var items = app.MapGroup("/api/catalog/items").WithTags("Catalog");

        items.MapGet("/", GetItemsAsync)
            .WithSummary("A page of items, by id; search matches name or description, case-insensitively.");
        items.MapGet("/{id:int}", GetItemAsync)
            .WithSummary("One item (cache-aside through Redis).");
        items.MapGet("/by-ids", GetItemsByIdsAsync)
            .WithSummary("Name, price and stock of up to 100 items (ids=1,2,3); unknown ids are simply absent.");
        items.MapPost("/", CreateItemAsync)
            .RequireAuthorization(AuthorizationPolicies.Admin);
        items.MapPut("/{id:int}", UpdateItemAsync)
            .RequireAuthorization(AuthorizationPolicies.Admin);

        return app;
    }

    public static async Task<Results<Ok<CatalogPage>, ValidationProblem>> GetItemsAsync(
        CatalogItemRepository repository, CancellationToken cancellationToken, int page = 1, int pageSize = 20, string? search = null)
    {
        var errors = CatalogValidation.ValidatePaging(page, pageSize, search);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return TypedResults.Ok(await repository.GetPageAsync(page, pageSize, search, cancellationToken));
    }

    public static async Task<Results<Ok<CatalogItem>, ProblemHttpResult>> GetItemAsync(
        int id, CatalogItemCache cache, CancellationToken cancellationToken) =>
        await cache.GetAsync(id, cancellationToken) is { } item
            ? TypedResults.Ok(item)
            : NoSuchItem(id);

    public static async Task<Results<Ok<IReadOnlyList<CatalogItemSummary>>, ValidationProblem>> GetItemsByIdsAsync(
        string[]? ids, CatalogItemRepository repository, CancellationToken cancellationToken)
    {
        var (parsed, errors) = CatalogValidation.ParseIds(ids);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return TypedResults.Ok(await repository.FindManyAsync(parsed, cancellationToken));
    }

    public static async Task<Results<Created<CatalogItem>, ValidationProblem>> CreateItemAsync(
        CatalogItemRequest item, CatalogItemRepository repository, CancellationToken cancellationToken)
    {
        var errors = CatalogValidation.ValidateItem(item);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var created = await repository.CreateAsync(item, cancellationToken);
        return TypedResults.Created($"/api/catalog/items/{created.Id}", created);
    }

    public static async Task<Results<Ok<CatalogItem>, ValidationProblem, ProblemHttpResult>> UpdateItemAsync(
        int id, CatalogItemRequest item, CatalogItemRepository repository, CatalogItemCache cache, CancellationToken cancellationToken)
    {
        var errors = CatalogValidation.ValidateItem(item);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (await repository.UpdateAsync(id, item, cancellationToken) is not { } updated)
        {
            return NoSuchItem(id);
        }
        await cache.InvalidateAsync([id], cancellationToken);
        return TypedResults.Ok(updated);
    }

    private static ProblemHttpResult NoSuchItem(int id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"Catalog item {id} does not exist.");
}
