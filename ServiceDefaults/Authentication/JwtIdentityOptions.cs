using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace MsaShop.ServiceDefaults.Authentication;

/// <summary>Who issues MsaShop tokens and how they are checked: configuration section <c>Identity</c>.</summary>
/// <remarks>
/// Two ways, exactly one of them set: <see cref="SigningKey"/>, one HS256 key shared by every service (the
/// sample's default: anyone who holds it can mint any token), or <see cref="Authority"/>, an identity
/// provider that signs with its own private key while the services only validate (what production should do).
/// </remarks>
public sealed class JwtIdentityOptions
{
    public const string SectionName = "Identity";
    public const string DefaultIssuer = "msashop";
    public const string DefaultAudience = "msashop";
    public const int MinimumSigningKeyLength = 32;

    /// <summary>
    /// DEVELOPMENT-ONLY signing key, public in this repository: the Development environment's fallback when
    /// Identity:SigningKey is not set (with a warning in the log). Any other environment refuses to start with it.
    /// </summary>
    public const string DevelopmentOnlySigningKey = "msashop-development-only-signing-key-do-not-use-in-production";

    /// <summary>The <c>iss</c> of tokens signed with <see cref="SigningKey"/>; with an authority, the provider's own.</summary>
    public string Issuer { get; set; } = DefaultIssuer;

    public string Audience { get; set; } = DefaultAudience;

    /// <summary>
    /// Shared HS256 key, at least 32 characters; never one published in the repository outside Development,
    /// where the development key is the fallback.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// The OpenID Connect issuer URL of an identity provider (https; http only on this machine). Its published
    /// keys validate tokens, so no MsaShop process holds a key that can sign one.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>The HS256 key that signs and checks tokens when no <see cref="Authority"/> is set.</summary>
    public SymmetricSecurityKey SymmetricSigningKey() =>
        new(Encoding.UTF8.GetBytes(SigningKey ?? throw new InvalidOperationException($"{SectionName}:SigningKey is not set.")));

    internal bool UsesAuthority => !string.IsNullOrEmpty(Authority);
}
