using System.Text.Json;
using System.Text.Json.Serialization;

namespace MsaShop.Client;

/// <summary>The JSON of an error answer; the API's own records read through <see cref="MsaShop.Contracts.ShopApiJsonContext"/>.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ShopProblem))]
internal sealed partial class ProblemJsonContext : JsonSerializerContext;
