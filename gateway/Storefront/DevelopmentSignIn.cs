using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.Tokens;

namespace MsaShop.Gateway.Storefront;

public sealed record DevelopmentSignInRequest(string? Customer);

public sealed record DevelopmentSignInResponse(string AccessToken, string Customer, DateTimeOffset ExpiresAt);

/// <summary>
/// POST /storefront/dev-token: a customer token for whoever asks, signed with the services' own key. Mapped in
/// Development only, so the storefront can be tried without an identity provider; never with a role.
/// </summary>
internal static partial class DevelopmentSignIn
{
    public const string Path = "/storefront/dev-token";

    public static Results<Ok<DevelopmentSignInResponse>, ValidationProblem> Handle(DevelopmentSignInRequest request,
        IConfiguration configuration)
    {
        if (request.Customer is not { } customer || !CustomerName().IsMatch(customer))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["customer"] = ["customer is 1 to 64 letters, digits, '.', '-' or '_'."],
            });
        }
        var token = DevelopmentTokens.Create(configuration, customer);
        return TypedResults.Ok(new DevelopmentSignInResponse(token, customer, DateTimeOffset.UtcNow + DevelopmentTokens.Lifetime));
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex CustomerName();
}
