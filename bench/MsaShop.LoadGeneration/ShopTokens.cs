using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.Tokens;

namespace MsaShop.LoadGeneration;

/// <summary>
/// Bearer tokens for the customers and the admin of a run, signed with the deployment's key (its
/// <c>Identity</c> section: SigningKey, and Issuer/Audience where they differ from the defaults), as the shop
/// validates them. Without a key, the development key: accepted only by a shop running in Development.
/// </summary>
public sealed class ShopTokens(IConfiguration identity)
{
    public const string AdminSubject = "loadgen-admin";

    private readonly ConcurrentDictionary<string, string> _tokens = new();

    /// <summary>Tokens signed with <paramref name="signingKey"/> for the default issuer and audience.</summary>
    public static ShopTokens WithSigningKey(string? signingKey) => new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Identity:SigningKey"] = signingKey })
        .Build());

    /// <summary>The key tokens are signed with (null: the development key).</summary>
    public string? SigningKey => identity["Identity:SigningKey"];

    public string Customer(string customerId) => _tokens.GetOrAdd(customerId, id => DevelopmentTokens.Create(identity, id));

    public string Admin => _tokens.GetOrAdd("\0admin", _ => DevelopmentTokens.Create(identity, AdminSubject, "admin"));
}
