using System.Collections.Concurrent;
using System.Net;
using MsaShop.Client;
using MsaShop.Contracts;

namespace MsaShop.LoadGeneration;

/// <summary>
/// Reads the books back after a run, through the public API as the admin (and the payment service's lookup when
/// given): every accepted order reached Completed or Cancelled, each exactly as it was sent; the successful charges
/// are exactly the completed orders; and each product's stock moved by exactly the completed quantities.
/// Orders whose answer was uncertain (5xx, timeout) are first settled by sending them again under the same
/// Idempotency-Key, as a client must: the shop then answers with the order it has, or places it now.
/// The stock check assumes nothing but the run ordered those products meanwhile.
/// </summary>
public static class LedgerCheck
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<LedgerReport> RunAsync(
        ShopAccess shop, IReadOnlyList<PlacedOrder> orders, StockSnapshot before, LedgerCheckOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(before);
        options ??= new LedgerCheckOptions();
        var deadline = DateTime.UtcNow + options.SettleTimeout;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };

        var settled = await SettleUncertainAsync(shop, orders, parallel, deadline);
        var accepted = settled.Where(o => o.Outcome == PlacementOutcome.Accepted).ToDictionary(o => o.OrderId!.Value);
        var (terminal, missing) = await AwaitTerminalAsync(shop, accepted.Keys, parallel, deadline);

        var altered = terminal.Values.Where(o => !IsAsSent(o, accepted[o.OrderId])).Select(o => o.OrderId).ToList();
        var completed = terminal.Values.Where(o => o.Status == OrderStatuses.Completed).ToList();
        var submitToCompleted = new LatencyHistogram();
        foreach (var order in completed)
        {
            submitToCompleted.Record(order.UpdatedAt - order.CreatedAt);
        }

        var (charges, chargeMismatches) = options.Payments is { } payments
            ? await CompareChargesAsync(payments, terminal.Values, parallel, deadline)
            : ((int?)null, (IReadOnlyList<ChargeMismatch>)[]);

        var expected = before.Available.ToDictionary(p => p.Key, p => p.Value);
        foreach (var line in completed.SelectMany(o => o.Items))
        {
            expected[line.ProductId] = expected.GetValueOrDefault(line.ProductId) - line.Quantity;
        }
        var stockMismatches = await AwaitStockAsync(shop, before, expected, deadline, cancellationToken);

        return new LedgerReport
        {
            Requested = orders.Count,
            Accepted = accepted.Count,
            Rejected = settled.Count(o => o.Outcome == PlacementOutcome.Rejected),
            Refused = settled.Count(o => o.Outcome == PlacementOutcome.Refused),
            Unresolved = settled.Count(o => o.Outcome == PlacementOutcome.Uncertain),
            ResolvedByReplay = orders.Count(o => o.Outcome == PlacementOutcome.Uncertain)
                - settled.Count(o => o.Outcome == PlacementOutcome.Uncertain),
            Completed = completed.Count,
            Cancelled = terminal.Values.Where(o => o.Status == OrderStatuses.Cancelled)
                .GroupBy(o => o.FailureReason ?? "(no reason)").ToDictionary(g => g.Key, g => g.Count()),
            Lost = missing,
            Stuck = accepted.Keys.Except(terminal.Keys).Except(missing).ToList(),
            Altered = altered,
            SuccessfulCharges = charges,
            ChargeMismatches = chargeMismatches,
            StockMismatches = stockMismatches,
            SubmitToCompleted = submitToCompleted,
            Lifetimes = accepted.Keys.Select(id => terminal.TryGetValue(id, out var order)
                ? new OrderLifetime(order.CreatedAt, order.UpdatedAt, order.Status == OrderStatuses.Completed)
                : new OrderLifetime(DateTime.MinValue, null, false)).ToList(),  // stuck: in flight from any moment on
        };
    }

    // Sends each uncertain order again with its key and body until the shop answers it with certainty, or time is up.
    private static async Task<IReadOnlyList<PlacedOrder>> SettleUncertainAsync(
        ShopAccess shop, IReadOnlyList<PlacedOrder> orders, ParallelOptions parallel, DateTime deadline)
    {
        var settled = new ConcurrentBag<PlacedOrder>(orders.Where(o => o.Outcome != PlacementOutcome.Uncertain));
        await Parallel.ForEachAsync(orders.Where(o => o.Outcome == PlacementOutcome.Uncertain), parallel,
            async (order, cancellationToken) =>
        {
            var current = order;
            while (current.Outcome == PlacementOutcome.Uncertain && DateTime.UtcNow < deadline)
            {
                try
                {
                    var (status, placed, _) = await shop.Api.TryPlaceOrderAsync(
                        order.Request, order.IdempotencyKey.ToString(), shop.Tokens.Customer(order.CustomerId), cancellationToken);
                    current = status == HttpStatusCode.Accepted && placed is not null
                        ? order with { Outcome = PlacementOutcome.Accepted, OrderId = placed.OrderId, Status = (int)status }
                        : (int)status is >= 400 and < 500 ? order with { Outcome = PlacementOutcome.Rejected, Status = (int)status }
                        : current;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // Still uncertain: try again after the pause.
                }
                if (current.Outcome == PlacementOutcome.Uncertain)
                {
                    await Task.Delay(PollInterval, cancellationToken);
                }
            }
            settled.Add(current);
        });
        return settled.ToList();
    }

    private static async Task<(Dictionary<Guid, OrderResponse> Terminal, IReadOnlyList<Guid> Missing)> AwaitTerminalAsync(
        ShopAccess shop, IEnumerable<Guid> orderIds, ParallelOptions parallel, DateTime deadline)
    {
        var terminal = new ConcurrentDictionary<Guid, OrderResponse>();
        var missing = new ConcurrentDictionary<Guid, bool>();
        var pending = orderIds.ToList();
        while (true)
        {
            await Parallel.ForEachAsync(pending, parallel, async (id, cancellationToken) =>
            {
                try
                {
                    var order = await shop.Api.FindOrderAsync(id, shop.Tokens.Admin, cancellationToken);
                    if (order is null)
                    {
                        missing[id] = true;
                        return;
                    }
                    missing.TryRemove(id, out _);
                    if (OrderStatuses.IsTerminal(order.Status))
                    {
                        terminal[id] = order;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // Unanswered this round: asked again in the next.
                }
            });
            pending = pending.Where(id => !terminal.ContainsKey(id)).ToList();
            if (pending.Count == 0 || DateTime.UtcNow >= deadline)
            {
                return (new Dictionary<Guid, OrderResponse>(terminal), missing.Keys.ToList());
            }
            await Task.Delay(PollInterval, parallel.CancellationToken);
        }
    }

    private static bool IsAsSent(OrderResponse order, PlacedOrder sent) =>
        order.CustomerId == sent.CustomerId
        && order.Items.Select(i => (i.ProductId, i.Quantity)).Order()
            .SequenceEqual(sent.Request.Items!.Select(i => (i.ProductId, i.Quantity)).Order());

    // Completed ⇔ its one payment succeeded. A payment still Charging may yet settle (a refund, a void): asked again until the deadline.
    private static async Task<(int?, IReadOnlyList<ChargeMismatch>)> CompareChargesAsync(
        PaymentLedger payments, IEnumerable<OrderResponse> orders, ParallelOptions parallel, DateTime deadline)
    {
        var mismatches = new ConcurrentDictionary<Guid, ChargeMismatch>();
        var charges = 0;
        var pending = orders.ToList();
        while (true)
        {
            await Parallel.ForEachAsync(pending, parallel, async (order, cancellationToken) =>
            {
                PaymentDto? payment;
                try
                {
                    payment = await payments.FindAsync(order.OrderId, cancellationToken);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    mismatches[order.OrderId] = new ChargeMismatch(order.OrderId, order.Status, "(unreadable)");
                    return;
                }
                var charged = payment?.Status == PaymentStatuses.Succeeded;
                if (charged)
                {
                    Interlocked.Increment(ref charges);
                }
                if (charged != (order.Status == OrderStatuses.Completed) || payment?.Status == PaymentStatuses.Charging)
                {
                    mismatches[order.OrderId] = new ChargeMismatch(order.OrderId, order.Status, payment?.Status);
                }
                else
                {
                    mismatches.TryRemove(order.OrderId, out _);
                }
            });
            if (mismatches.IsEmpty || DateTime.UtcNow >= deadline)
            {
                return (charges, mismatches.Values.ToList());
            }
            // Ask again about the mismatched ones only, recounting their charges.
            pending = pending.Where(o => mismatches.ContainsKey(o.OrderId)).ToList();
            charges -= pending.Count(o => mismatches[o.OrderId].PaymentStatus == PaymentStatuses.Succeeded);
            await Task.Delay(PollInterval, parallel.CancellationToken);
        }
    }

    // The catalog commits or releases a reservation when it consumes the order's last event: stock settles shortly after the orders do.
    private static async Task<IReadOnlyList<StockMismatch>> AwaitStockAsync(
        ShopAccess shop, StockSnapshot before, Dictionary<int, int> expected, DateTime deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            List<StockMismatch> mismatches;
            try
            {
                var now = (await shop.Api.GetItemsByIdsAsync(expected.Keys, cancellationToken))
                    .ToDictionary(i => i.Id, i => i.AvailableStock);
                mismatches = expected
                    .Where(e => !now.TryGetValue(e.Key, out var actual) || actual != e.Value)
                    .Select(e =>
                        new StockMismatch(e.Key, before.Available.GetValueOrDefault(e.Key), e.Value,
                        now.TryGetValue(e.Key, out var a) ? a : null))
                    .ToList();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                mismatches = expected.Select(e => new StockMismatch(e.Key, before.Available.GetValueOrDefault(e.Key), e.Value, null))
                    .ToList();
            }
            if (mismatches.Count == 0 || DateTime.UtcNow >= deadline)
            {
                return mismatches;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
