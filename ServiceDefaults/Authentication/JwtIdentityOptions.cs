namespace MsaShop.ServiceDefaults.Authentication;

/// <summary>Who issues MsaShop tokens and how they are signed: configuration section <c>Identity</c>.</summary>
public sealed class JwtIdentityOptions
{
    public const string SectionName = "Identity";
    public const string DefaultIssuer = "msashop";
    public const string DefaultAudience = "msashop";
    public const int MinimumSigningKeyLength = 32;

    public string Issuer { get; set; } = DefaultIssuer;

    public string Audience { get; set; } = DefaultAudience;

    /// <summary>Symmetric HS256 key, at least 32 characters. Required outside Development.</summary>
    public string? SigningKey { get; set; }
}
