using System.Security.Cryptography;

namespace MsaShop.Testing;

/// <summary>
/// Signing keys made up for one test run, as a deployment's own secret would be: no key but the development
/// key is ever written in the repository, since outside Development every such key must be refused.
/// </summary>
public static class SigningKeys
{
    public static string NewRandom() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
}
