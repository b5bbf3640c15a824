using Dapper;
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
                "INSERT INTO outbox (message_id, message_type, payload, created_at) VALUES (gen_random_uuid(), 'MsaShop.Removed.OldEvent, MsaShop.Removed', '{}', now() - interval '1 day')");
        }

        await service.EnqueueAsync(new SampleEvent("orders", 1));
        await Eventually.ReturnsAsync(() => service.CountAsync("SELECT count(*) FROM effects"), count => count == 1, "the event's effect");

        await Eventually.ReturnsAsync(
            () => service.CountAsync("SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL) + (SELECT count(*) FROM inbox)"),
            count => count == 0, "the sent row and the inbox record to be deleted");
        Assert.Equal(1, await service.CountAsync("SELECT count(*) FROM outbox WHERE sent_at IS NULL"));
    }
}
