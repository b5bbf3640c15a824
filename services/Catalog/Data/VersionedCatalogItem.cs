using System.Text.Json.Serialization;
using MsaShop.Contracts;

namespace MsaShop.Catalog.Data;

/// <summary>An item with its row version: the ETag of GET and the precondition (If-Match) of PUT.</summary>
public sealed record VersionedCatalogItem(CatalogItem Item, long Version)
{
    [JsonIgnore]
    public string ETag => ItemETag.Format(Version);
}
