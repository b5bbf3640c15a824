using System.Text.Json;
using System.Text.Json.Serialization;

namespace MsaShop.Contracts;

/// <summary>
/// Money in JSON: always two decimals (<c>11.00</c>, <c>11.50</c>), whatever the scale of the decimal at hand. A
/// decimal keeps the scale it was made with, so without this the same price reads <c>11</c> or <c>11.00</c>
/// depending on whether it came from a literal, a request, a cache or the database's numeric(12,2).
/// </summary>
public sealed class PriceJsonConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

    // Adding 0.00m raises the scale to at least 2 without changing the value.
    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(decimal.Round(value, 2, MidpointRounding.AwayFromZero) + 0.00m);
    }
}
