using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MsaShop.Catalog.Api;
using MsaShop.Catalog.Caching;
using MsaShop.Catalog.Data;
using MsaShop.Contracts;
using MsaShop.ServiceDefaults.Authorization;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The public catalog API (docs/README.md, "The services"); reads are anonymous, writes need role admin.
/// Writes are safe under concurrency (docs/optimistic-concurrency.md): GET gives an ETag, PUT must send it back in
/// If-Match, and stock moves only by relative adjustments.
/// </summary>
public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var items = app.MapGroup("/api/catalog/items").WithTags("Catalog");
        var reads = items.MapGroup("");
        // The pattern lab's slow reads exist in Development only: elsewhere no read pays for the filter.
        if (app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            reads.AddEndpointFilter<LabReadLatencyFilter>();
        }

        reads.MapGet("/", GetItemsAsync)
            .WithSummary("A page of items, by id; search matches name or description, case-insensitively.");
        reads.MapGet("/{id:int}", GetItemAsync)
            .WithSummary("One item (cache-aside through Redis), with its version in the ETag header.")
            // The body is the cached JSON of a CatalogItem, written as it is: this tells OpenAPI what it holds.
            .Produces<CatalogItem>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);
        reads.MapGet("/by-ids", GetItemsByIdsAsync)
            .WithSummary("Name, price and stock of up to 100 items (ids=1,2,3), through the item cache; unknown ids are simply absent.");
        reads.MapGet("/prices", GetPricesAsync)
            .WithSummary(
                "Name, price and version of up to 100 items (ids=1,2,3), as ordering prices an order: from the price cache, which stock " +
                "moves leave alone.");
        items.MapPost("/", CreateItemAsync)
            .WithSummary("Adds an item with its initial stock.")
            .RequireAuthorization(AuthorizationPolicies.Admin);
        items.MapPut("/{id:int}", UpdateItemAsync)
            .WithSummary("Replaces name, description and price; If-Match with the ETag read is required (428 without, 412 when stale).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireAuthorization(AuthorizationPolicies.Admin);
        items.MapPost("/{id:int}/stock-adjustments", AdjustStockAsync)
            .WithSummary("Adds (or, negative, removes) units of stock; never below zero. An Idempotency-Key makes a retry count once.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
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

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetItemAsync(
        int id, CatalogItemCache cache, HttpResponse response, CancellationToken cancellationToken)
    {
        if (await cache.GetJsonAsync(id, cancellationToken) is not { } found)
        {
            return NoSuchItem(id);
        }
        response.Headers.ETag = found.ETag;
        return TypedResults.Bytes(found.Json, JsonContentType);
    }

    public static Task<Results<Ok<IReadOnlyList<CatalogItemSummary>>, ValidationProblem>> GetItemsByIdsAsync(
        string[]? ids, CatalogItemCache cache, CancellationToken cancellationToken) =>
        GetManyAsync(ids, cache.GetManyAsync, cached =>
            new CatalogItemSummary(cached.Item.Id, cached.Item.Name, cached.Item.Price, cached.Item.AvailableStock), cancellationToken);

    public static Task<Results<Ok<IReadOnlyList<CatalogItemPrice>>, ValidationProblem>> GetPricesAsync(
        string[]? ids, CatalogItemCache cache, CancellationToken cancellationToken) =>
        GetManyAsync(ids, cache.GetPricedAsync, cached =>
            new CatalogItemPrice(cached.Item.Id, cached.Item.Name, cached.Item.Price, cached.Version), cancellationToken);

    private static async Task<Results<Ok<IReadOnlyList<T>>, ValidationProblem>> GetManyAsync<T>(
        string[]? ids, Func<IReadOnlyCollection<int>, CancellationToken, Task<IReadOnlyList<CachedCatalogItem>>> read,
        Func<CachedCatalogItem, T> answer, CancellationToken cancellationToken)
    {
        var (parsed, errors) = CatalogValidation.ParseIds(ids);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return TypedResults.Ok<IReadOnlyList<T>>([.. (await read(parsed, cancellationToken)).Select(answer)]);
    }

    public static async Task<Results<Created<CatalogItem>, ValidationProblem>> CreateItemAsync(
        CatalogItemRequest item, CatalogItemRepository repository, CatalogItemCache cache, HttpResponse response,
        CancellationToken cancellationToken)
    {
        var errors = CatalogValidation.ValidateItem(item);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var created = await repository.CreateAsync(item, cancellationToken);
        // Someone may have asked for this id before it existed: the cache remembers that it was missing.
        await cache.InvalidateAsync([created.Item.Id]);
        response.Headers.ETag = created.ETag;
        return TypedResults.Created($"/api/catalog/items/{created.Item.Id}", created.Item);
    }

    public static async Task<Results<Ok<CatalogItem>, ValidationProblem, ProblemHttpResult>> UpdateItemAsync(
        int id, CatalogItemRequest item, [FromHeader(Name = "If-Match")] string? ifMatch,
        CatalogItemRepository repository, CatalogItemCache cache, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = CatalogValidation.ValidateUpdate(item);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (ItemETag.Parse(ifMatch) is not { } expectedVersions)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "Precondition Required",
                detail: "Send If-Match with the ETag of the item as you read it (GET /api/catalog/items/{id}), so no one else's change " +
                    "is overwritten.");
        }

        switch (await repository.UpdateAsync(id, expectedVersions, item, cancellationToken))
        {
            case ItemUpdate.Updated(var updated):
                await cache.InvalidateAsync([id]);
                return WithETag(response, updated);
            case ItemUpdate.Stale(var current):
                response.Headers.ETag = ItemETag.Format(current);
                return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition Failed",
                    detail: $"Item {id} changed since it was read (it is at ETag {ItemETag.Format(current)} now): read it again and " +
                        $"reapply the change.");
            default:
                return NoSuchItem(id);
        }
    }

    public static async Task<Results<Ok<CatalogItem>, ValidationProblem, ProblemHttpResult>> AdjustStockAsync(
        int id, StockAdjustmentRequest adjustment, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user,
        CatalogItemRepository repository, CatalogItemCache cache, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = CatalogValidation.ValidateAdjustment(adjustment, idempotencyKey);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var adjustedBy = user.FindFirstValue("sub") ?? "unknown";
        switch (await repository.AdjustStockAsync(id, adjustment.Quantity!.Value, adjustment.Reason ?? "", adjustedBy, idempotencyKey,
            cancellationToken))
        {
            case StockAdjustment.Applied(var adjusted):
                await cache.InvalidateAsync([id]);
                return WithETag(response, adjusted);
            case StockAdjustment.BelowZero(var available):
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not enough stock",
                    detail: $"Item {id} has {available} units: removing {-adjustment.Quantity} would take it below zero. Nothing changed.");
            case StockAdjustment.AboveMaximum(var available):
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too much stock",
                    detail: $"Item {id} has {available} units: adding {adjustment.Quantity} would pass the most it can hold " +
                        $"({int.MaxValue}). Nothing changed.");
            case StockAdjustment.KeyReused(var earlier):
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused",
                    detail: $"This Idempotency-Key already adjusted item {id} by {earlier}, not {adjustment.Quantity}.");
            default:
                return NoSuchItem(id);
        }
    }

    private const string JsonContentType = "application/json; charset=utf-8";

    private static Ok<CatalogItem> WithETag(HttpResponse response, VersionedCatalogItem item)
    {
        response.Headers.ETag = item.ETag;
        return TypedResults.Ok(item.Item);
    }

    private static ProblemHttpResult NoSuchItem(int id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"Catalog item {id} does not exist.");
}
