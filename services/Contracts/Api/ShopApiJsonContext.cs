using System.Text.Json;
using System.Text.Json.Serialization;

namespace MsaShop.Contracts;

/// <summary>
/// The public API's JSON, generated at build time (no reflection per type at run time), with the web defaults
/// (camelCase) that ASP.NET Core uses: what catalog reads, writes and caches, and what MsaShop.Client sends and reads.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CatalogItem))]
[JsonSerializable(typeof(CatalogPage))]
[JsonSerializable(typeof(IReadOnlyList<CatalogItemSummary>))]
[JsonSerializable(typeof(IReadOnlyList<CatalogItemPrice>))]
[JsonSerializable(typeof(CatalogItemRequest))]
[JsonSerializable(typeof(StockAdjustmentRequest))]
[JsonSerializable(typeof(PlaceOrderRequest))]
[JsonSerializable(typeof(PlaceOrderResponse))]
[JsonSerializable(typeof(OrderResponse))]
[JsonSerializable(typeof(IReadOnlyList<OrderResponse>))]
public sealed partial class ShopApiJsonContext : JsonSerializerContext;
