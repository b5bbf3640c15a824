using System.Text.Json;
using Xunit;

namespace MsaShop.Testing;

/// <summary>An OpenAPI document as JSON, with the look-ups the tests of what it promises need.</summary>
public sealed class OpenApiDocument(JsonElement root)
{
    public JsonElement Root { get; } = root;

    public static async Task<OpenApiDocument> ReadAsync(HttpClient client, string path)
    {
        var text = await client.GetStringAsync(path, TestContext.Current.CancellationToken);
        return new OpenApiDocument(JsonDocument.Parse(text).RootElement.Clone());
    }

    public JsonElement Operation(string pathTemplate, string method) =>
        Root.GetProperty("paths").GetProperty(pathTemplate).GetProperty(method.ToLowerInvariant());

    /// <summary>The path template of the document that <paramref name="path"/> (no query) matches, if any.</summary>
    public string? TemplateFor(string path) => Root.GetProperty("paths").EnumerateObject()
        .Select(p => p.Name)
        .FirstOrDefault(template => Matches(template.Split('/'), path.Split('/')));

    public IReadOnlyList<string> ResponseStatuses(string pathTemplate, string method) =>
        [.. Operation(pathTemplate, method).GetProperty("responses").EnumerateObject().Select(r => r.Name)];

    /// <summary>The schema name a response's content refers to (<c>#/components/schemas/{name}</c>).</summary>
    public string? ResponseSchema(string pathTemplate, string method, string status, string mediaType) =>
        Operation(pathTemplate, method).GetProperty("responses").GetProperty(status)
            .GetProperty("content").GetProperty(mediaType).GetProperty("schema") is var schema
            && schema.TryGetProperty("$ref", out var reference)
            ? reference.GetString()!.Split('/')[^1]
            : null;

    public bool RequiresBearer(string pathTemplate, string method) =>
        Operation(pathTemplate, method).TryGetProperty("security", out var security)
        && security.EnumerateArray().Any(requirement => requirement.TryGetProperty("Bearer", out _));

    private static bool Matches(string[] template, string[] path) =>
        template.Length == path.Length
        && template.Zip(path).All(pair => pair.First.StartsWith('{') || string.Equals(pair.First, pair.Second, StringComparison.Ordinal));
}
