using System.Collections.Concurrent;
using MsaShop.Chaos.Ledger;
using MsaShop.Chaos.Report;
using MsaShop.Chaos.Shop;
using MsaShop.LoadGeneration;

namespace MsaShop.Chaos.Scenarios;

/// <summary>
/// Runs one scenario on the running shop: steady open-loop load through the gateway (the load generator), the fault
/// injected after <see cref="ChaosSettings.Before"/>, healed after the scenario's hold, the load kept on until
/// <see cref="ChaosSettings.After"/> has passed, then the books: the load generator's ledger check (public API) and
/// the <see cref="ServerLedger"/> (databases and broker), and no stale item in the cache.
/// </summary>
public sealed class ScenarioRunner(ChaosShop shop, ChaosSettings settings, LoadTargets targets)
{
    /// <summary>The scenarios' load for <see cref="ChaosSettings.WarmUp"/>, no fault, until every order it placed has ended.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var since = DateTime.UtcNow;
        await LoadGenerator.RunAsync(shop.Client, targets, new LoadProfile(settings.Rate, settings.WarmUp) { Mix = settings.Mix },
            cancellationToken: cancellationToken);
        await new ServerLedger(shop).WaitUntilCaughtUpAsync(since, DateTime.UtcNow + settings.RecoveryBound, cancellationToken);
    }

    public async Task<ScenarioResult> RunAsync(ChaosScenario scenario, CancellationToken cancellationToken)
    {
        var client = shop.Client;
        var server = new ServerLedger(shop);
        var before = await StockSnapshot.TakeAsync(client, targets.OrderProductIds, cancellationToken);
        var since = DateTime.UtcNow;
        var orderingLog = new LogWindow([.. shop.Deployed.InstancesOf("ordering").Select(shop.LogOf)]);
        var outcomes = new ConcurrentQueue<RequestOutcome>();
        var profile = new LoadProfile(settings.Rate, settings.Before + scenario.Hold + settings.After)
        {
            Mix = settings.Mix,
            Seed = scenario.Number,
        };

        var loadStartedAt = DateTime.UtcNow;
        var load = LoadGenerator.RunAsync(client, targets, profile, observe: outcomes.Enqueue, cancellationToken: cancellationToken);
        await Task.Delay(settings.Before, cancellationToken);
        var injectedAt = DateTime.UtcNow;
        await scenario.InjectAsync(shop, cancellationToken);
        await Task.Delay(scenario.Hold, cancellationToken);
        await scenario.HealAsync(shop, cancellationToken);
        var healedAt = DateTime.UtcNow;
        var report = await load;
        var loadEndedAt = DateTime.UtcNow;

        var caughtUpAt = await server.WaitUntilCaughtUpAsync(since, healedAt + settings.RecoveryBound, cancellationToken);
        var ledger = await LedgerCheck.RunAsync(client, report.Orders, before,
            new LedgerCheckOptions { SettleTimeout = settings.RecoveryBound, Payments = shop.Payments }, cancellationToken);
        // Orders whose answer was lost were sent again by the ledger check: their saga too must end before the books close.
        await server.WaitUntilCaughtUpAsync(since, DateTime.UtcNow + settings.RecoveryBound, cancellationToken);
        LedgerFinding[] findings =
            [.. await server.CheckAsync(since, cancellationToken), await CheckCacheIsFreshAsync(client, cancellationToken)];

        // The chart runs on past the load while the saga catches up, a minute at most.
        var chartEnd = caughtUpAt is { } settled && settled > loadEndedAt
            ? Min(settled, loadEndedAt + TimeSpan.FromMinutes(1))
            : loadEndedAt;
        var timeline = ScenarioTimeline.Of($"{scenario.Number}. {scenario.Name}", loadStartedAt, chartEnd, outcomes,
            await server.CompletionsSinceAsync(since, cancellationToken), injectedAt, healedAt, loadStartedAt + profile.Duration);
        var duringFault = outcomes.Where(o => o.DueAt >= injectedAt && o.DueAt <= healedAt).ToList();
        var lastFailure = outcomes.Where(o => !o.Succeeded).Select(o => o.DueAt).DefaultIfEmpty(DateTime.MinValue).Max();
        return new ScenarioResult(
            scenario,
            OrdersSent: report.Orders.Count,
            OrdersAccepted: report.Orders.Count(o => o.Outcome == PlacementOutcome.Accepted),
            DuringFault: [FaultFigures.Of(ShopOperation.PlaceOrder, duringFault), FaultFigures.Of(ShopOperation.ReadItem, duringFault)],
            FaultLasted: healedAt - injectedAt,
            ErrorsAfterHeal: lastFailure > healedAt ? lastFailure - healedAt : null,
            CaughtUpAfterLoad: caughtUpAt is { } caught ? (caught > loadEndedAt ? caught - loadEndedAt : TimeSpan.Zero) : null,
            ResilienceEvents: orderingLog.CountResilienceEvents(),
            Ledger: ledger,
            Findings: findings,
            Timeline: timeline);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    /// <summary>
    /// Every ordered product's cached read (GET /items/{id}, Redis first) says what its row says (by-ids reads PostgreSQL).
    /// </summary>
    private async Task<LedgerFinding> CheckCacheIsFreshAsync(ShopAccess client, CancellationToken cancellationToken)
    {
        var rows = (await client.Api.GetItemsByIdsAsync(targets.OrderProductIds, cancellationToken))
            .ToDictionary(i => i.Id, i => i.AvailableStock);
        var stale = new List<string>();
        foreach (var id in targets.OrderProductIds)
        {
            var cached = (await client.Api.GetItemAsync(id, cancellationToken)).Value;
            if (cached.AvailableStock != rows[id])
            {
                stale.Add($"item {id}: cache {cached.AvailableStock}, row {rows[id]}");
            }
        }
        return new("no item read stale from the cache", stale.Count == 0,
            stale.Count == 0 ? $"{rows.Count} items read as their rows say" : string.Join("; ", stale.Take(5)));
    }
}
