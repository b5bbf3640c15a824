using Microsoft.Extensions.DependencyInjection;

namespace MsaShop.Messaging;

/// <summary>
/// How one table stops growing: <see cref="DeleteBatchSql"/> deletes at most <c>@batchSize</c> rows older than
/// <c>@retention</c> (Messaging:Retention), found through <see cref="Index"/>, and <see cref="RetentionCleanup"/>
/// runs it again while batches come back full, so no statement holds many locks or runs long.
/// </summary>
public sealed record RetentionRule(string Table, string Index, string DeleteBatchSql);

public static class RetentionRuleExtensions
{
    /// <summary>Adds a table to the service's retention cleanup.</summary>
    public static IServiceCollection AddRetentionRule(this IServiceCollection services, string table, string index,
        string deleteBatchSql) =>
        services.AddSingleton(new RetentionRule(table, index, deleteBatchSql));
}
