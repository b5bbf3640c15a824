using System.Text.Json;
using System.Text.Json.Serialization;
using MsaShop.Contracts;

namespace MsaShop.Client;

/// <summary>The client's JSON, generated at build time, with the web defaults (camelCase) the shop speaks.</summary>
// Nulls are left out of what it sends: a field the caller did not set is absent, as a hand-written request would have it.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
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
[JsonSerializable(typeof(ShopProblem))]
internal sealed partial class ShopJsonContext : JsonSerializerContext;
