namespace MsaShop.Catalog;

/// <summary>Names this service's assembly for WebApplicationFactory in tests, where several services share one process.</summary>
public sealed class CatalogEntryPoint;
