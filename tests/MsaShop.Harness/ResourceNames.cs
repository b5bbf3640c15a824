namespace MsaShop.Harness;

/// <summary>
/// The resource names of the AppHost (AppHost/AppHost.cs): the servers hand out their connection strings under these keys.
/// </summary>
public static class ResourceNames
{
    public const string CatalogDb = "catalogdb";
    public const string OrderingDb = "orderingdb";
    public const string PaymentDb = "paymentdb";
    public const string Cache = "cache";
    public const string Messaging = "messaging";

    public static readonly IReadOnlyList<string> Databases = [CatalogDb, OrderingDb, PaymentDb];
}
