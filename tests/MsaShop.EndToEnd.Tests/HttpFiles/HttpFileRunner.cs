using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MsaShop.EndToEnd.Tests.HttpFiles;

/// <summary>What one request of a <c>.http</c> file answered.</summary>
public sealed record HttpFileResult(HttpFileRequest Request, Uri Url, int Status, string? MediaType, string Body);

/// <summary>
/// Runs a <c>.http</c> file's requests in order, as the editors do: <c>{{variable}}</c>, <c>{{$guid}}</c>, and a
/// named request's answer, <c>{{name.response.headers.Header}}</c> and <c>{{name.response.body.$.field}}</c>.
/// </summary>
public sealed partial class HttpFileRunner(HttpClient client)
{
    private readonly Dictionary<string, (HttpResponseHeaders Headers, HttpContentHeaders Content, string Body)> _named =
        new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<HttpFileResult>> RunAsync(HttpFile file, IReadOnlyDictionary<string, string> overrides)
    {
        var variables = new Dictionary<string, string>(file.Variables, StringComparer.Ordinal);
        foreach (var (name, value) in overrides)
        {
            Assert.True(variables.ContainsKey(name), $"the file declares no @{name}");
            variables[name] = value;
        }

        var results = new List<HttpFileResult>();
        foreach (var request in file.Requests)
        {
            var url = new Uri(Substitute(request.Url, variables));
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), url);
            if (request.Body is not null)
            {
                message.Content = new StringContent(Substitute(request.Body, variables), Encoding.UTF8);
                message.Content.Headers.ContentType = null;
            }
            foreach (var (name, value) in request.Headers)
            {
                var substituted = Substitute(value, variables);
                if (!message.Headers.TryAddWithoutValidation(name, substituted))
                {
                    message.Content?.Headers.TryAddWithoutValidation(name, substituted);
                }
            }

            using var response = await client.SendAsync(message, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if (request.Name is not null)
            {
                _named[request.Name] = (response.Headers, response.Content.Headers, body);
            }
            results.Add(new HttpFileResult(request, url, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body));
        }
        return results;
    }

    private string Substitute(string text, IReadOnlyDictionary<string, string> variables) =>
        Placeholder().Replace(text, match => Resolve(match.Groups[1].Value.Trim(), variables));

    private string Resolve(string expression, IReadOnlyDictionary<string, string> variables)
    {
        if (expression == "$guid")
        {
            return Guid.NewGuid().ToString();
        }
        if (variables.TryGetValue(expression, out var value))
        {
            return Substitute(value, variables);
        }

        var parts = expression.Split('.', 4);
        if (parts is [var name, "response", "headers", var header] && _named.TryGetValue(name, out var named))
        {
            return named.Headers.TryGetValues(header, out var values) || named.Content.TryGetValues(header, out values)
                ? string.Join(", ", values)
                : throw new InvalidOperationException($"{name}'s response has no {header} header");
        }
        if (parts is [var bodyOf, "response", "body", var path] && _named.TryGetValue(bodyOf, out named)
            && path.StartsWith("$.", StringComparison.Ordinal))
        {
            var element = JsonDocument.Parse(named.Body).RootElement;
            foreach (var property in path[2..].Split('.'))
            {
                element = element.GetProperty(property);
            }
            return element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
        }
        throw new InvalidOperationException($"{{{{{expression}}}}} names no variable, system variable or earlier named response");
    }

    [GeneratedRegex(@"\{\{(.+?)\}\}")]
    private static partial Regex Placeholder();
}
