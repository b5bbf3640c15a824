using System.Net;
using System.Net.Http.Json;

namespace MsaShop.Gateway.Tests.Infrastructure;

public sealed record Problem(string? Type, string? Title, int? Status, string? Detail);

public static class ProblemAssert
{
    /// <summary>Asserts an RFC 7807 response with the given status and returns its body.</summary>
    public static async Task<Problem> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<Problem>(TestContext.Current.CancellationToken);
        Assert.NotNull(problem);
        Assert.Equal((int)status, problem.Status);
        return problem;
    }
}
