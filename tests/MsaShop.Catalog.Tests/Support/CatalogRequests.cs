using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MsaShop.Catalog.Tests.Support;

/// <summary>Requests and checks the catalog tests share.</summary>
public static class CatalogRequests
{
    /// <summary>
    /// A PUT of <paramref name="body"/>, with If-Match when <paramref name="ifMatch"/> is given (sent verbatim, valid or not).
    /// </summary>
    public static HttpRequestMessage Put(string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return request;
    }

    /// <summary>The response is an RFC 7807 problem with <paramref name="status"/>.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
    }
}
