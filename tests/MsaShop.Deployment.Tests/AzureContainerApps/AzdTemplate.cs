using System.Text.RegularExpressions;

namespace MsaShop.Deployment.Tests.AzureContainerApps;

/// <summary>
/// azd's container app templates are Go templates over YAML: at deploy time azd replaces each
/// <c>{{ ... }}</c> with a value of its environment (main.bicep's outputs), the image it pushed, or a
/// parameter. To read a template as YAML, each placeholder is kept as a marker <c>⟦expression⟧</c>.
/// </summary>
internal static partial class AzdTemplate
{
    private const string Open = "⟦";
    private const string Close = "⟧";

    /// <summary>The template's text with every <c>{{ expression }}</c> turned into <c>⟦expression⟧</c>.</summary>
    public static string Mark(string template) =>
        GoPlaceholder().Replace(template, match => Marker(Whitespace().Replace(match.Groups["expression"].Value, " ")));

    /// <summary>The marker that stands for a placeholder, e.g. <c>Marker(".Env.AZURE_LOCATION")</c>.</summary>
    public static string Marker(string expression) => Open + expression + Close;

    public static string EnvironmentValue(string name) => Marker($".Env.{name}");

    public static string Image => Marker(".Image");

    public static string ParameterWithDefault(string name, string defaultValue) =>
        Marker($"parameterWithDefault \"{name}\" \"{defaultValue}\"");

    /// <summary>The azd environment values (<c>.Env.NAME</c>) a marked text reads.</summary>
    public static IEnumerable<string> EnvironmentNames(string marked) =>
        MarkerPattern().Matches(marked).Select(match => match.Groups["expression"].Value)
            .Select(expression => EnvironmentExpression().Match(expression))
            .Where(match => match.Success)
            .Select(match => match.Groups["name"].Value);

    /// <summary>A marked text with each placeholder filled the way azd fills it, from <paramref name="environment"/>.</summary>
    public static string Fill(string marked, string image, IReadOnlyDictionary<string, string> environment) =>
        MarkerPattern().Replace(marked, match => match.Groups["expression"].Value switch
        {
            ".Image" => image,
            var expression when EnvironmentExpression().Match(expression) is { Success: true } env =>
                environment.TryGetValue(env.Groups["name"].Value, out var value)
                    ? value
                    : throw new InvalidOperationException($"No value for {expression}."),
            var expression when ParameterWithDefaultExpression().Match(expression) is { Success: true } parameter =>
                parameter.Groups["default"].Value,
            var expression =>
                throw new NotSupportedException($"azd template expression '{{{{ {expression} }}}}' is not known to this check."),
        });

    [GeneratedRegex(@"\{\{\s*(?<expression>.*?)\s*\}\}")]
    private static partial Regex GoPlaceholder();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("⟦(?<expression>[^⟧]*)⟧")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"^\.Env\.(?<name>[A-Z][A-Z0-9_]*)$")]
    private static partial Regex EnvironmentExpression();

    [GeneratedRegex(@"^parameterWithDefault ""(?<name>[^""]+)"" ""(?<default>[^""]*)""$")]
    private static partial Regex ParameterWithDefaultExpression();
}
