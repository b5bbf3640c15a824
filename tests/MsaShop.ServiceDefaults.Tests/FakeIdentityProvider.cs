using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MsaShop.ServiceDefaults.Authentication;

namespace MsaShop.ServiceDefaults.Tests;

/// <summary>
/// A stand-in for an OpenID Connect identity provider on a real Kestrel port: it publishes its metadata and
/// the public half of its ES256 key, and signs tokens with the private half, which no service ever sees.
/// </summary>
internal sealed class FakeIdentityProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ECDsaSecurityKey _signingKey;

    private FakeIdentityProvider(WebApplication app, ECDsaSecurityKey signingKey, string authority)
    {
        _app = app;
        _signingKey = signingKey;
        Authority = authority;
    }

    /// <summary>The issuer URL: what services set as <c>Identity:Authority</c> and what tokens carry as <c>iss</c>.</summary>
    public string Authority { get; }

    public static async Task<FakeIdentityProvider> StartAsync()
    {
        var signingKey = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = Guid.NewGuid().ToString("N") };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();

        // Only the public half is published: no private parameter ("d") leaves this class.
        var publicKey = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(signingKey);
        var authority = "";
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, string>
        {
            ["issuer"] = authority,
            ["jwks_uri"] = $"{authority}/keys",
        }));
        app.MapGet("/keys", () => Results.Json(new
        {
            keys = new[] { new { kty = publicKey.Kty, crv = publicKey.Crv, x = publicKey.X, y = publicKey.Y, kid = publicKey.Kid,
                use = "sig", alg = SecurityAlgorithms.EcdsaSha256 } },
        }));

        await app.StartAsync(TestContext.Current.CancellationToken);
        authority = app.Urls.Single().TrimEnd('/');
        return new FakeIdentityProvider(app, signingKey, authority);
    }

    /// <summary>A token this provider issues for the MsaShop audience.</summary>
    public string CreateToken(string subject, params string[] roles)
    {
        var claims = new List<Claim> { new(JwtClaims.Subject, subject) };
        claims.AddRange(roles.Select(role => new Claim(JwtClaims.Role, role)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = JwtIdentityOptions.DefaultAudience,
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(_signingKey, SecurityAlgorithms.EcdsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
