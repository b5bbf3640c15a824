using Xunit;
using Npgsql;

namespace MsaShop.Testing;

/// <summary>
/// A row that can never be changed or deleted, as a bug, a bad value or a constraint can make one: a trigger on its
/// table raises for every UPDATE or DELETE of it, and only of it. A periodic job must go on with the other rows.
/// </summary>
public static class PoisonedRow
{
    /// <summary>Poisons the row of <paramref name="table"/> whose <paramref name="keyColumn"/> is <paramref name="key"/>.</summary>
    public static async Task PoisonAsync(string connectionString, string table, string keyColumn, object key)
    {
        var name = $"msashop_poisoned_{table}_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.{keyColumn}::text = '{key}' THEN
                    RAISE EXCEPTION 'row % of {table} is poisoned', OLD.{keyColumn};
                END IF;
                RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
            END $$;
            CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();
            """, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
