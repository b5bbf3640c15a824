using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.Tokens;
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
            ["Identity:SigningKey"] = SigningKeys.NewRandom(),
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
            ["Identity:SigningKey"] = SigningKeys.NewRandom(),
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

    [Fact]
    public async Task Outside_development_the_development_key_fails_start_up()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(
            MapProtectedEndpoints,
            new Dictionary<string, string?> { ["Identity:SigningKey"] = JwtIdentityOptions.DevelopmentOnlySigningKey },
            environment: "Production"));

        Assert.Contains("development key published in the MsaShop repository", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_development_the_development_key_is_used_and_the_log_says_so()
    {
        var logs = new LogCollector();
        await using var app =
            await TestApp.StartAsync(MapProtectedEndpoints, configureBuilder: builder => builder.Logging.AddProvider(logs));

        using var response = await GetAsync(app, "/me", DevelopmentTokens.Create("customer-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var warning =
            Assert.Single(logs.Entries, entry => entry.Message.Contains("DEVELOPMENT-ONLY signing key", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
    }

    [Fact]
    public async Task In_development_a_key_of_its_own_is_used_without_the_warning()
    {
        var logs = new LogCollector();
        var settings = new Dictionary<string, string?> { ["Identity:SigningKey"] = SigningKeys.NewRandom() };
        await using var app = await TestApp.StartAsync(MapProtectedEndpoints, settings, builder => builder.Logging.AddProvider(logs));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        using var own = await GetAsync(app, "/me", DevelopmentTokens.Create(configuration, "customer-1"));
        using var development = await GetAsync(app, "/me", DevelopmentTokens.Create("customer-1"));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, development.StatusCode);
        Assert.DoesNotContain(logs.Entries, entry => entry.Message.Contains("DEVELOPMENT-ONLY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_an_authority_tokens_its_provider_signed_are_accepted_and_shared_key_tokens_are_not()
    {
        await using var provider = await FakeIdentityProvider.StartAsync();
        await using var otherProvider = await FakeIdentityProvider.StartAsync();
        await using var app = await TestApp.StartAsync(
            MapProtectedEndpoints,
            new Dictionary<string, string?> { ["Identity:Authority"] = provider.Authority },
            environment: "Production");

        using var admin = await GetAsync(app, "/admin", provider.CreateToken("admin-1", "admin"));
        using var customer = await GetAsync(app, "/me", provider.CreateToken("customer-1"));
        using var development = await GetAsync(app, "/me", DevelopmentTokens.Create("customer-1", "admin"));
        using var otherIssuer = await GetAsync(app, "/me", otherProvider.CreateToken("customer-1"));

        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal("customer-1|False", await customer.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(HttpStatusCode.Unauthorized, development.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherIssuer.StatusCode);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task An_authority_and_a_signing_key_together_fail_start_up(string environment)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(
            MapProtectedEndpoints,
            new Dictionary<string, string?>
            {
                ["Identity:Authority"] = "https://login.example.com/msashop",
                ["Identity:SigningKey"] = SigningKeys.NewRandom(),
            },
            environment: environment));

        Assert.Contains("not both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_authority_over_plain_http_to_another_machine_fails_start_up()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(
            MapProtectedEndpoints,
            new Dictionary<string, string?> { ["Identity:Authority"] = "http://login.example.com/msashop" },
            environment: "Production"));

        Assert.Contains("Identity:Authority", error.Message, StringComparison.Ordinal);
    }
}
