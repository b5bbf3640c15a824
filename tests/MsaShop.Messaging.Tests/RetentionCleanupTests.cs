using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MsaShop.Messaging.Tests.Infrastructure;
using MsaShop.Testing;

namespace MsaShop.Messaging.Tests;

public sealed class RetentionCleanupTests(InfrastructureFixture fixture)
{
    [Fact]
    public async Task Sent_outbox_rows_and_inbox_records_past_retention_are_deleted_but_unsent_rows_are_kept()
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "retention");
        var settings = new Dictionary<string, string?>
        {
            ["Messaging:Retention"] = "00:00:01",
            ["Messaging:RetentionCleanupInterval"] = "00:00:00.500",
        };
        await using var service = await MessagingTestHost.StartReadyAsync(environment, settings);
        await using (var connection = await service.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        {
            // Never sendable, so never sent: it must survive every cleanup.
            await connection.ExecuteAsync(
                "INSERT INTO outbox (message_id, message_type, payload, created_at) VALUES (gen_random_uuid(), " +
                    "'MsaShop.Removed.OldEvent, MsaShop.Removed', '{}', now() - interval '1 day')");
        }

        await service.EnqueueAsync(new SampleEvent("orders", 1));
        await Eventually.ReturnsAsync(() => service.CountAsync("SELECT count(*) FROM effects"), count => count == 1, "the event's effect");

        await Eventually.ReturnsAsync(
            () => service.CountAsync("SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL) + (SELECT count(*) FROM inbox)"),
            count => count == 0, "the sent row and the inbox record to be deleted");
        Assert.Equal(1, await service.CountAsync("SELECT count(*) FROM outbox WHERE sent_at IS NULL"));
    }

    [Theory]
    [InlineData("outbox",
        "INSERT INTO outbox (message_id, message_type, payload, sent_at) VALUES (gen_random_uuid(), 'SampleEvent', '{}', now() - @age)")]
    [InlineData("inbox",
        "INSERT INTO inbox (consumer, message_id, message_type, received_at) VALUES ('log', gen_random_uuid(), 'SampleEvent', " +
        "now() - @age)")]
    public async Task A_retention_rule_deletes_a_bounded_batch_of_old_rows_found_through_its_index(string table, string insertRow)
    {
        var environment = await MessagingTestEnvironment.CreateAsync(fixture, "retention-rule");
        // The service's own cleanup keeps 30 days, so it never touches the 2-day-old rows this test deletes by hand.
        await using var service = await MessagingTestHost.StartReadyAsync(environment,
            new Dictionary<string, string?> { ["Messaging:Retention"] = "30.00:00:00" });
        var rule = service.Services.GetServices<RetentionRule>().Single(rule => rule.Table == table);
        foreach (var age in new[] { TimeSpan.FromDays(2), TimeSpan.FromDays(2), TimeSpan.FromDays(2), TimeSpan.Zero })
        {
            await service.ExecuteAsync(insertRow, new { age });
        }

        // Three rows past a retention of one day, batches of two: two, then one, then none.
        Assert.Equal([2, 1, 0],
            await RetentionProbe.DeleteBatchesAsync(environment.DatabaseConnectionString, rule.DeleteBatchSql, TimeSpan.FromDays(1),
            batchSize: 2, runs: 3));
        Assert.Equal(1, await service.CountAsync($"SELECT count(*) FROM {table}"));
        Assert.Contains(rule.Index, await RetentionProbe.PlanAsync(environment.DatabaseConnectionString, rule.DeleteBatchSql),
            StringComparison.Ordinal);
    }
}
