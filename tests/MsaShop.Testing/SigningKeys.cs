using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.Tokens;

namespace MsaShop.Testing;

/// <summary>
/// Signing keys made up for one test run, as a deployment's own secret would be: no key but the development
/// key is ever written in the repository, since outside Development every such key must be refused.
/// </summary>
public static class SigningKeys
{
    public static string NewRandom() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    /// <summary>A token a service configured with <c>Identity:SigningKey</c> = <paramref name="signingKey"/> accepts.</summary>
    public static string TokenFor(string signingKey, string subject, params string[] roles) =>
        DevelopmentTokens.Create(new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("Identity:SigningKey", (string?)signingKey)]).Build(), subject, roles);
}
