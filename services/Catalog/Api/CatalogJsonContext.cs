using System.Text.Json;
using System.Text.Json.Serialization;
using MsaShop.Catalog.Data;
using MsaShop.Contracts;

namespace MsaShop.Catalog.Api;

/// <summary>
/// The catalog's JSON, generated at build time (no reflection per type at run time): what its API reads and writes
/// and what its item cache holds, with the web defaults (camelCase) that ASP.NET Core uses.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CatalogItem))]
[JsonSerializable(typeof(CatalogPage))]
[JsonSerializable(typeof(IReadOnlyList<CatalogItemSummary>))]
[JsonSerializable(typeof(IReadOnlyList<CatalogItemPrice>))]
[JsonSerializable(typeof(CatalogItemRequest))]
[JsonSerializable(typeof(StockAdjustmentRequest))]
public sealed partial class CatalogJsonContext : JsonSerializerContext;
