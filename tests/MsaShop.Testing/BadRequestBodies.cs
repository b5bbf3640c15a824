using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace MsaShop.Testing;

/// <summary>
/// A body that is not JSON, or not the JSON an endpoint expects, must be a client error like any other: a 400
/// ProblemDetails (JSON even to a browser asking for HTML), logged as one warning line, never an exception.
/// </summary>
public static class BadRequestBodies
{
    public static async Task AssertRefusedAsync(HttpClient client, HttpMethod method, string path, string body, LogCollector logs)
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        // What a browser sends: were the developer exception page involved, this would get its HTML.
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        using var response = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains("JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var warning = await Eventually.FoundAsync(
            () =>
                logs.Entries.FirstOrDefault(entry => entry.Message.Contains($"{method} {path} refused with 400", StringComparison.Ordinal)),
            $"a warning for {method} {path}");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Null(warning.Exception);
        Assert.DoesNotContain(logs.Entries, entry => entry.Exception is BadHttpRequestException or JsonException
            || entry.Exception?.InnerException is JsonException);
    }
}
