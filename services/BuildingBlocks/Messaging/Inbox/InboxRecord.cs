namespace MsaShop.Messaging;

/// <summary>The one statement that records a message in the inbox; a second delivery of it inserts nothing.</summary>
internal static class InboxRecord
{
    public const string Sql = """
        INSERT INTO inbox (consumer, message_id, message_type) VALUES ($1, $2, $3)
        ON CONFLICT (consumer, message_id) DO NOTHING
        """;
}
