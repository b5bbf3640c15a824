namespace MsaShop.Tests.Support;

/// <summary>
/// What the saga fixture tells each service about the others: the connection strings and discovery entries the
/// AppHost gives it (ShopWiringTests compares the keys with the AppHost's manifest), pointed at this fixture's servers.
/// </summary>
public static class ShopWiring
{
    public static Dictionary<string, string?> Catalog(string database, string cache, string messaging) => new()
    {
        ["ConnectionStrings:catalogdb"] = database,
        ["ConnectionStrings:cache"] = cache,
        ["ConnectionStrings:messaging"] = messaging,
    };

    public static Dictionary<string, string?> Ordering(string database, string messaging, Uri catalog) => new()
    {
        ["ConnectionStrings:orderingdb"] = database,
        ["ConnectionStrings:messaging"] = messaging,
        // The list form of the discovery key: WebApplicationFactory's settings give the parent of
        // "services:catalog:http:0" an empty value, which the resolver reads as an empty list.
        ["services:catalog:http:0"] = catalog.ToString(),
    };

    public static Dictionary<string, string?> Payment(string database, string messaging) => new()
    {
        ["ConnectionStrings:paymentdb"] = database,
        ["ConnectionStrings:messaging"] = messaging,
    };

    /// <summary>A test class's own settings with the wiring on top.</summary>
    public static Dictionary<string, string?> Over(this Dictionary<string, string?> wiring, IReadOnlyDictionary<string, string?> settings)
    {
        var merged = new Dictionary<string, string?>(settings);
        foreach (var (key, value) in wiring)
        {
            merged[key] = value;
        }
        return merged;
    }
}
