using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MsaShop.Contracts;
using MsaShop.Messaging;
using MsaShop.Ordering.Catalog;
using MsaShop.Ordering.Data;
using MsaShop.Ordering.Model;
using Npgsql;

namespace MsaShop.Ordering.Api;

/// <summary>What became of a submission.</summary>
public abstract record PlacementOutcome
{
    /// <summary>The order exists (just created, or created earlier under the same Idempotency-Key and body).</summary>
    public sealed record Accepted(Order Order) : PlacementOutcome;

    public sealed record UnknownProducts(IReadOnlyList<int> ProductIds) : PlacementOutcome;

    /// <summary>The Idempotency-Key was already used for a different request.</summary>
    public sealed record KeyReused(Guid ExistingOrderId) : PlacementOutcome;
}

/// <summary>
/// Places an order: prices it from the catalog, then inserts it and enqueues <see cref="OrderSubmitted"/>
/// in one transaction (outbox), honouring the Idempotency-Key (docs/idempotency.md).
/// </summary>
public sealed class OrderPlacement(NpgsqlDataSource dataSource, OrderStore orders, CatalogClient catalog, IOutbox outbox,
    TimeProvider clock)
{
    public async Task<PlacementOutcome> PlaceAsync(string customerId, PlaceOrderRequest request, string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var lines = request.Items!;
        var requestHash = Fingerprint(request);
        IReadOnlyDictionary<int, CatalogItemPrice> prices;
        try
        {
            prices = await catalog.GetItemsAsync(lines.Select(l => l.ProductId).ToList(), cancellationToken);
        }
        catch (CatalogUnavailableException) when (idempotencyKey is not null)
        {
            // A retry of an order placed earlier is answered without the catalog.
            if (await ReplayAsync(customerId, idempotencyKey, requestHash, cancellationToken) is { } replay)
            {
                return replay;
            }
            throw;
        }

        var unknown = lines.Select(l => l.ProductId).Where(id => !prices.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
        {
            return new PlacementOutcome.UnknownProducts(unknown);
        }

        var items = lines.Select(l => new OrderItem
        {
            ProductId = l.ProductId, ProductName = prices[l.ProductId].Name, UnitPrice = prices[l.ProductId].Price, Quantity = l.Quantity,
        }).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var order = new Order
        {
            Id = Guid.CreateVersion7(), CustomerId = customerId, Status = OrderStatus.Submitted,
            Total = items.Sum(i => i.UnitPrice * i.Quantity), PaymentToken = request.PaymentToken!, CreatedAt = now, UpdatedAt = now,
        };

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await outbox.BeginTransactionAsync(connection, cancellationToken);
        try
        {
            await OrderStore.InsertAsync(transaction, order, items, idempotencyKey, requestHash, cancellationToken);
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation,
            ConstraintName: OrderStore.IdempotencyKeyIndex })
        {
            // The key is taken (a retry, or a concurrent request that won the race): answer with what it created. Checking
            // here rather than before pricing costs a retry one catalog call and saves every first request a query.
            await transaction.RollbackAsync(cancellationToken);
            return await ReplayAsync(customerId, idempotencyKey!, requestHash, cancellationToken)
                ?? throw new InvalidOperationException("The idempotency key conflicted but no order holds it.", ex);
        }

        await outbox.EnqueueAsync(transaction, new OrderSubmitted(
            order.Id, customerId, items.Select(i => new OrderLine(i.ProductId, i.Quantity)).ToList(), now), cancellationToken);
        await outbox.CommitAsync(transaction, cancellationToken);
        return new PlacementOutcome.Accepted(order);
    }

    private async Task<PlacementOutcome?> ReplayAsync(string customerId, string idempotencyKey, string requestHash,
        CancellationToken cancellationToken) =>
        await orders.FindByIdempotencyKeyAsync(customerId, idempotencyKey, cancellationToken) switch
        {
            null => null,
            var (order, hash) when hash == requestHash => new PlacementOutcome.Accepted(order),
            var (order, _) => new PlacementOutcome.KeyReused(order.Id),
        };

    /// <summary>A hash of what the request asks for, independent of line order and JSON formatting.</summary>
    private static string Fingerprint(PlaceOrderRequest request)
    {
        var canonical = new StringBuilder(request.PaymentToken);
        foreach (var line in request.Items!.OrderBy(l => l.ProductId))
        {
            canonical.Append(CultureInfo.InvariantCulture, $"\n{line.ProductId}x{line.Quantity}");
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
