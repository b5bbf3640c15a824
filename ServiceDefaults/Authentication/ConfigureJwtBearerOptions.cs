using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace MsaShop.ServiceDefaults.Authentication;

/// <summary>Validates MsaShop tokens: issuer, audience, lifetime and the HS256 signature, claims as issued.</summary>
internal sealed class ConfigureJwtBearerOptions(IOptions<JwtIdentityOptions> identityOptions) : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }

        var identity = identityOptions.Value;
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = identity.Issuer,
            ValidAudience = identity.Audience,
            IssuerSigningKey = DevelopmentTokens.SigningKeyFrom(identity),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            NameClaimType = JwtClaims.Subject,
            RoleClaimType = JwtClaims.Role,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);
}
