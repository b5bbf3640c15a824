using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MsaShop.ServiceDefaults.Authentication;

/// <summary>Mints MsaShop JWTs for tests, local tools and the Development environment.</summary>
public static class DevelopmentTokens
{
    /// <summary>
    /// DEVELOPMENT-ONLY signing key, public in this repository: the Development environment's fallback when
    /// Identity:SigningKey is not set (with a warning in the log). Any other environment refuses to start with it.
    /// </summary>
    public const string DevelopmentOnlySigningKey = "msashop-development-only-signing-key-do-not-use-in-production";

    public static TimeSpan Lifetime { get; } = TimeSpan.FromHours(1);

    /// <summary>A token signed with the development key, for the default issuer and audience.</summary>
    public static string Create(string subject, params string[] roles) =>
        Create(new JwtIdentityOptions { SigningKey = DevelopmentOnlySigningKey }, subject, roles);

    /// <summary>A token for the configured <c>Identity</c> section (the development key when it sets none).</summary>
    public static string Create(IConfiguration configuration, string subject, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var identity = new JwtIdentityOptions();
        configuration.GetSection(JwtIdentityOptions.SectionName).Bind(identity);
        if (string.IsNullOrEmpty(identity.SigningKey))
        {
            identity.SigningKey = DevelopmentOnlySigningKey;
        }
        return Create(identity, subject, roles);
    }

    internal static string Create(JwtIdentityOptions identity, string subject, string[] roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        var claims = new List<Claim> { new(JwtClaims.Subject, subject) };
        claims.AddRange(roles.Select(role => new Claim(JwtClaims.Role, role)));

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = identity.Issuer,
            Audience = identity.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = new SigningCredentials(SigningKeyFrom(identity), SecurityAlgorithms.HmacSha256),
        });
    }

    internal static SymmetricSecurityKey SigningKeyFrom(JwtIdentityOptions identity) =>
        new(Encoding.UTF8.GetBytes(identity.SigningKey
            ?? throw new InvalidOperationException($"{JwtIdentityOptions.SectionName}:SigningKey is not set.")));
}
