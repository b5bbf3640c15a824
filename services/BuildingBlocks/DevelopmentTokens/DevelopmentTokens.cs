using System.Security.Claims;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MsaShop.ServiceDefaults.Authentication;

namespace MsaShop.Tokens;

/// <summary>
/// Mints MsaShop JWTs for tests, local tools and the storefront's Development sign-in: a token issuer, so no
/// service that only validates tokens carries it.
/// </summary>
public static class DevelopmentTokens
{
    public static TimeSpan Lifetime { get; } = TimeSpan.FromHours(1);

    /// <summary>A token signed with the development key, for the default issuer and audience.</summary>
    public static string Create(string subject, params string[] roles) =>
        Create(new JwtIdentityOptions { SigningKey = JwtIdentityOptions.DevelopmentOnlySigningKey }, subject, roles);

    /// <summary>A token for the configured <c>Identity</c> section (the development key when it sets none).</summary>
    public static string Create(IConfiguration configuration, string subject, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var identity = new JwtIdentityOptions();
        configuration.GetSection(JwtIdentityOptions.SectionName).Bind(identity);
        if (string.IsNullOrEmpty(identity.SigningKey))
        {
            identity.SigningKey = JwtIdentityOptions.DevelopmentOnlySigningKey;
        }
        return Create(identity, subject, roles);
    }

    private static string Create(JwtIdentityOptions identity, string subject, string[] roles)
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
            SigningCredentials = new SigningCredentials(identity.SymmetricSigningKey(), SecurityAlgorithms.HmacSha256),
        });
    }
}
