using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace MsaShop.ServiceDefaults.Authentication;

/// <summary>
/// Validates MsaShop tokens: audience, lifetime, claims as issued, and either the shared HS256 key with its
/// issuer or an identity provider's published keys and issuer (<see cref="JwtIdentityOptions.Authority"/>).
/// </summary>
internal sealed class ConfigureJwtBearerOptions(IOptionsMonitor<JwtIdentityOptions> identityOptions)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    // A provider signs with a private key; accepting HMAC here would let anyone holding a public key sign.
    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }

        // The monitor's value is the one validated at start-up (and logged once), not a second copy.
        var identity = identityOptions.CurrentValue;
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidAudience = identity.Audience,
            NameClaimType = JwtClaims.Subject,
            RoleClaimType = JwtClaims.Role,
            ClockSkew = TimeSpan.FromSeconds(30),
        };

        if (identity.UsesAuthority)
        {
            // JwtBearer reads the provider's metadata: its issuer name and its current signing keys.
            options.Authority = identity.Authority;
            options.RequireHttpsMetadata = !new Uri(identity.Authority!).IsLoopback;
            options.TokenValidationParameters.ValidAlgorithms = AsymmetricAlgorithms;
        }
        else
        {
            options.TokenValidationParameters.ValidIssuer = identity.Issuer;
            options.TokenValidationParameters.IssuerSigningKey = identity.SymmetricSigningKey();
            options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);
}
