using System.Diagnostics;
using Dapper;
using MassTransit;
using Npgsql;

namespace MsaShop.Messaging.Tests.Infrastructure;

/// <summary>The idempotent consumer under test: one effect row per message, with the trace it ran in.</summary>
public sealed class SampleEventConsumer(NpgsqlDataSource dataSource, IOutbox outbox) : InboxConsumer<SampleEvent>(dataSource, outbox)
{
    protected override Task HandleAsync(ConsumeContext<SampleEvent> context, NpgsqlTransaction transaction) =>
        transaction.Connection!.ExecuteAsync(
            "INSERT INTO effects (message_id, producer, sequence, trace_id) VALUES (@messageId, @Producer, @Sequence, @traceId)",
            new { messageId = context.MessageId, context.Message.Producer, context.Message.Sequence,
                traceId = Activity.Current?.TraceId.ToHexString() },
            transaction);
}

/// <summary>Logs every delivery outside any inbox, so a test can tell "published once" from "deduplicated".</summary>
public sealed class DeliveryLogConsumer(NpgsqlDataSource dataSource) : IConsumer<SampleEvent>
{
    public async Task Consume(ConsumeContext<SampleEvent> context)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO deliveries (message_id, consumer) VALUES ($1, 'log')");
        command.Parameters.AddWithValue(context.MessageId!.Value);
        await command.ExecuteNonQueryAsync(context.CancellationToken);
    }
}

/// <summary>Always fails, after logging the attempt outside its (rolled back) transaction.</summary>
public sealed class PoisonEventConsumer(NpgsqlDataSource dataSource, IOutbox outbox) : InboxConsumer<PoisonEvent>(dataSource, outbox)
{
    protected override async Task HandleAsync(ConsumeContext<PoisonEvent> context, NpgsqlTransaction transaction)
    {
        await using var command = DataSource.CreateCommand("INSERT INTO deliveries (message_id, consumer) VALUES ($1, 'poison')");
        command.Parameters.AddWithValue(context.MessageId!.Value);
        await command.ExecuteNonQueryAsync(context.CancellationToken);
        throw new InvalidOperationException($"{context.Message.Producer} sent a message that can never be handled");
    }
}

/// <summary>A statement consumer: its one statement (idempotent by itself) goes with the inbox record in one round trip.</summary>
public sealed class MarkConsumer(NpgsqlDataSource dataSource) : InboxStatementConsumer<MarkEvent>(dataSource)
{
    protected override (string Sql, object[] Parameters) Effect(MarkEvent message) =>
        ("INSERT INTO marks (key) VALUES ($1) ON CONFLICT (key) DO NOTHING", [message.Key]);
}
