using MassTransit;
using Npgsql;

namespace MsaShop.Messaging;

/// <summary>The one statement that records a message in the inbox; a second delivery of it inserts nothing.</summary>
internal static class InboxRecord
{
    public const string Sql = """
        INSERT INTO inbox (consumer, message_id, message_type) VALUES ($1, $2, $3)
        ON CONFLICT (consumer, message_id) DO NOTHING
        """;

    /// <summary>The message's id: what the inbox deduplicates by.</summary>
    public static Guid MessageIdOf<TMessage>(ConsumeContext<TMessage> context)
        where TMessage : class =>
        context.MessageId ?? throw new InvalidOperationException($"{typeof(TMessage).Name} has no MessageId: it cannot be deduplicated.");

    /// <summary>The values of <see cref="Sql"/>, in its order ($1, $2, $3).</summary>
    public static NpgsqlParameter[] Parameters<TMessage>(string consumer, Guid messageId) =>
        [new() { Value = consumer }, new() { Value = messageId }, new() { Value = typeof(TMessage).FullName }];
}
