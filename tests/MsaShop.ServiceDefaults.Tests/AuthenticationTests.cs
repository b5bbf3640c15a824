using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.ServiceDefaults.Authorization;

namespace MsaShop.ServiceDefaults.Tests;

public sealed class AuthenticationTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static void MapProtectedEndpoints(WebApplication web)
    {
        web.MapGet("/me", (ClaimsPrincipal user) => $"{user.Identity?.Name}|{user.IsInRole("admin")}").RequireAuthorization();
        web.MapGet("/admin", () => "welcome").RequireAuthorization(AuthorizationPolicies.Admin);
    }

    private static async Task<HttpResponseMessage> GetAsync(TestApp app, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await app.CreateClient().SendAsync(request, Cancellation);
    }

    [Fact]
    public async Task A_development_token_is_accepted_with_subject_as_name_and_roles_unmapped()
    {
        await using var app = await TestApp.StartAsync(MapProtectedEndpoints);

        using var response = await GetAsync(app, "/me", DevelopmentTokens.Create("customer-1", "admin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("customer-1|True", await response.Content.ReadAsStringAsync(Cancellation));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_rejected_with_401_problem_details()
    {
        await using var app = await TestApp.StartAsync(MapProtectedEndpoints);
        var otherKey = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Identity:SigningKey"] = "a-completely-different-key-of-32-characters-or-more",
        }).Build();

        using var response = await GetAsync(app, "/me", DevelopmentTokens.Create(otherKey, "customer-1"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_admin_policy_requires_the_admin_role()
    {
        await using var app = await TestApp.StartAsync(MapProtectedEndpoints);

        using var anonymous = await GetAsync(app, "/admin", token: null);
        using var customer = await GetAsync(app, "/admin", DevelopmentTokens.Create("customer-1"));
        using var admin = await GetAsync(app, "/admin", DevelopmentTokens.Create("admin-1", "admin"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
        Assert.Equal("application/problem+json", customer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task Outside_development_the_configured_key_is_used_and_the_development_key_is_refused()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Identity:SigningKey"] = "production-key-from-a-secret-store-0123456789",
            ["Identity:Issuer"] = "msashop-prod",
        };
        await using var app = await TestApp.StartAsync(MapProtectedEndpoints, settings, environment: "Production");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        using var configured = await GetAsync(app, "/me", DevelopmentTokens.Create(configuration, "customer-1"));
        using var development = await GetAsync(app, "/me", DevelopmentTokens.Create("customer-1"));

        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, development.StatusCode);
    }

    [Fact]
    public async Task Outside_development_a_missing_signing_key_fails_start_up()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestApp.StartAsync(MapProtectedEndpoints, environment: "Production"));

        Assert.Contains("Identity:SigningKey", error.Message, StringComparison.Ordinal);
    }
}
