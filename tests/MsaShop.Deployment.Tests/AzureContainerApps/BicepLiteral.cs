using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MsaShop.Deployment.Tests.AzureContainerApps;

/// <summary>A JSON value written as a Bicep literal (objects, arrays, strings, numbers, booleans, null).</summary>
internal static partial class BicepLiteral
{
    public static string Of(JsonNode? node, int depth)
    {
        var indent = new string(' ', 2 * (depth + 1));
        var closing = new string(' ', 2 * depth);
        switch (node)
        {
            case null:
                return "null";
            case JsonObject map:
                var properties = new StringBuilder("{\n");
                foreach (var (key, value) in map)
                {
                    properties.Append(indent).Append(Identifier().IsMatch(key) ? key : Quote(key)).Append(": ").Append(Of(value, depth + 1))
                        .Append('\n');
                }

                return properties.Append(closing).Append('}').ToString();
            case JsonArray list:
                var items = new StringBuilder("[\n");
                foreach (var value in list)
                {
                    items.Append(indent).Append(Of(value, depth + 1)).Append('\n');
                }

                return items.Append(closing).Append(']').ToString();
            default:
                var raw = node.ToJsonString();
                return node.GetValueKind() switch
                {
                    JsonValueKind.String => Quote(node.GetValue<string>()),
                    JsonValueKind.True or JsonValueKind.False => raw,
                    // Bicep has integer literals only; other numbers go through json().
                    JsonValueKind.Number when long.TryParse(raw, CultureInfo.InvariantCulture, out _) => raw,
                    JsonValueKind.Number => $"json('{raw}')",
                    var kind => throw new NotSupportedException($"JSON {kind}"),
                };
        }
    }

    private static string Quote(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)
            .Replace("${", "\\${", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
