using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MsaShop.Client;
using MsaShop.Contracts;

namespace MsaShop.LoadGeneration;

/// <summary>
/// Offers the shop a <see cref="LoadProfile"/>: open-loop arrivals (<see cref="OpenLoopSchedule"/>), each a browse,
/// search, item read or order picked by the mix; orders from many customers, each with its own Idempotency-Key,
/// a share of them paid with a declining token. Latency counts from when a request was due.
/// </summary>
public static class LoadGenerator
{
    /// <param name="observe">Told of every request as it ends (from many threads at once): for figures over a window
    /// of the run, such as while a fault lasts.</param>
    public static async Task<LoadReport> RunAsync(
        ShopAccess shop, LoadTargets targets, LoadProfile profile, Action<LoadProgress>? progress = null,
        Action<RequestOutcome>? observe = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Mix.PlaceOrder > 0 && targets.OrderProductIds.Count == 0)
        {
            throw new ArgumentException("Orders need at least one product to order.", nameof(targets));
        }

        var operations = Enum.GetValues<ShopOperation>().ToDictionary(o => o, o => new OperationStats(o));
        var orders = new ConcurrentQueue<PlacedOrder>();
        var random = new Random(profile.Seed);
        // Each arrival's choices are drawn as it comes due, on the dispatcher's one thread: a seed repeats a run's
        // operations, products and customers (never its Idempotency-Keys, which are new every run).
        var plan = OpenLoopSchedule.Arrivals(profile.Rate, profile.Duration, profile.Poisson, random)
            .Select(due => (Due: due, Request: PlannedRequest.Draw(random, profile, targets)));
        var counters = new Counters();

        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = progress is null ? Task.CompletedTask : ReportAsync(progress, operations, counters, stopProgress.Token);
        try
        {
            var outcome = await OpenLoopSchedule.RunAsync(
                plan,
                arrival => arrival.Due,
                async (arrival, dueTimestamp) =>
                {
                    Interlocked.Increment(ref counters.Started);
                    try
                    {
                        await SendAsync(shop, arrival.Request, operations, orders, dueTimestamp, profile.RequestTimeout,
                            profile.RetriesAfterRefusal, observe, cancellationToken);
                    }
                    finally
                    {
                        Interlocked.Increment(ref counters.Finished);
                    }
                },
                profile.MaxInFlight,
                cancellationToken);
            counters.Dropped = outcome.Dropped;
            return new LoadReport(profile, outcome, operations, orders.ToList());
        }
        finally
        {
            await stopProgress.CancelAsync();
            await reporter;
        }
    }

    private static async Task SendAsync(
        ShopAccess shop, PlannedRequest request, Dictionary<ShopOperation, OperationStats> operations,
        ConcurrentQueue<PlacedOrder> orders, long dueTimestamp, TimeSpan timeout, int retriesAfterRefusal, Action<RequestOutcome>? observe,
        CancellationToken cancellationToken)
    {
        var stats = operations[request.Operation];
        void Observe(int? status) =>
            observe?.Invoke(RequestOutcome.EndingNow(request.Operation, Stopwatch.GetElapsedTime(dueTimestamp), status));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            HttpStatusCode status;
            switch (request.Operation)
            {
                case ShopOperation.Browse:
                    status = await shop.Api.GetStatusAsync(ShopRoutes.Items(request.Page, LoadTargets.PageSize), deadline.Token);
                    break;
                case ShopOperation.Search:
                    status = await shop.Api.GetStatusAsync(ShopRoutes.Search(request.SearchTerm!), deadline.Token);
                    break;
                case ShopOperation.ReadItem:
                    status = await shop.Api.GetStatusAsync(ShopRoutes.Item(request.ItemId), deadline.Token);
                    break;
                default:
                    var customer = shop.Tokens.Customer(request.CustomerId!);
                    var submission =
                        await shop.Api.TryPlaceOrderAsync(request.Order!, request.IdempotencyKey.ToString(), customer, deadline.Token);
                    for (var retry = 1; submission.RetryAfter is { } wait && retry <= retriesAfterRefusal; retry++)
                    {
                        // Each refusal is an answer of its own; the order is sent again, same key, after the wait asked for.
                        stats.RecordAnswer((int)submission.Status, Stopwatch.GetElapsedTime(dueTimestamp));
                        await Task.Delay(wait, cancellationToken);
                        deadline.CancelAfter(timeout);
                        submission =
                            await shop.Api.TryPlaceOrderAsync(request.Order!, request.IdempotencyKey.ToString(), customer, deadline.Token);
                    }
                    status = submission.Status;
                    var outcome = submission is { Status: HttpStatusCode.Accepted, Value: not null } ? PlacementOutcome.Accepted
                        : submission.RetryAfter is not null ? PlacementOutcome.Refused
                        : (int)submission.Status >= 500 ? PlacementOutcome.Uncertain
                        : PlacementOutcome.Rejected;
                    orders.Enqueue(new PlacedOrder(request.IdempotencyKey, request.CustomerId!, request.Order!, outcome,
                        submission.Value?.OrderId, (int)submission.Status));
                    break;
            }
            stats.RecordAnswer((int)status, Stopwatch.GetElapsedTime(dueTimestamp));
            Observe((int)status);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            stats.RecordTimeout();
            RecordUncertainOrder(request, orders);
            Observe(null);
        }
        catch (HttpRequestException)
        {
            stats.RecordConnectionError();
            RecordUncertainOrder(request, orders);
            Observe(null);
        }
    }

    private static void RecordUncertainOrder(PlannedRequest request, ConcurrentQueue<PlacedOrder> orders)
    {
        if (request.Operation == ShopOperation.PlaceOrder)
        {
            orders.Enqueue(
                new PlacedOrder(request.IdempotencyKey, request.CustomerId!, request.Order!, PlacementOutcome.Uncertain, null, null));
        }
    }

    private static async Task ReportAsync(
        Action<LoadProgress> progress, Dictionary<ShopOperation, OperationStats> operations, Counters counters, CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var all = new LatencyHistogram();
                foreach (var stats in operations.Values)
                {
                    all.Add(stats.Latency);
                }
                progress(new LoadProgress(Stopwatch.GetElapsedTime(started), Interlocked.Read(ref counters.Started),
                    Interlocked.Read(ref counters.Finished), operations.Values.Sum(s => s.Failed), counters.Dropped, all.Percentile(99)));
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private sealed class Counters
    {
        public long Started;
        public long Finished;
        public long Dropped;
    }

    private sealed record PlannedRequest(ShopOperation Operation, int Page, string? SearchTerm, int ItemId, string? CustomerId,
        PlaceOrderRequest? Order, Guid IdempotencyKey)
    {
        public static PlannedRequest Draw(Random random, LoadProfile profile, LoadTargets targets)
        {
            var operation = profile.Mix.Pick(random.NextDouble());
            return operation switch
            {
                ShopOperation.Browse => new(operation, random.Next(1, targets.Pages + 1), null, 0, null, null, Guid.Empty),
                ShopOperation.Search =>
                    new(operation, 0, targets.SearchTerms[random.Next(targets.SearchTerms.Count)], 0, null, null, Guid.Empty),
                ShopOperation.ReadItem =>
                    new(operation, 0, null, targets.ItemIds[random.Next(targets.ItemIds.Count)], null, null, Guid.Empty),
                _ => new(operation, 0, null, 0, $"customer-{random.Next(profile.Customers):D4}", DrawOrder(random, profile, targets),
                    Guid.NewGuid()),
            };
        }

        private static PlaceOrderRequest DrawOrder(Random random, LoadProfile profile, LoadTargets targets)
        {
            var products = targets.OrderProductIds;
            var lines = Enumerable.Range(0, random.Next(1, 3))
                .Select(_ => products[random.Next(products.Count)]).Distinct()
                .Select(id => new PlaceOrderLine(id, random.Next(1, 4))).ToList();
            var token = random.NextDouble() < profile.DeclineShare ? "tok_decline_loadgen" : "tok_visa";
            return new PlaceOrderRequest(lines, token);
        }

    }
}
