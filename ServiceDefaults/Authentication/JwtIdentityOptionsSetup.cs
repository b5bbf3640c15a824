using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MsaShop.ServiceDefaults.Authentication;

/// <summary>
/// Falls back to the development key in Development, and says so in the log; fails start-up when the
/// <c>Identity</c> section is incomplete or ambiguous, and, outside Development, when its key is the one
/// this repository publishes.
/// </summary>
internal sealed class JwtIdentityOptionsSetup(IHostEnvironment environment, ILogger<JwtIdentityOptionsSetup> logger)
    : IPostConfigureOptions<JwtIdentityOptions>, IValidateOptions<JwtIdentityOptions>
{
    private const string Section = JwtIdentityOptions.SectionName;

    public void PostConfigure(string? name, JwtIdentityOptions options)
    {
        if (!environment.IsDevelopment() || options.UsesAuthority)
        {
            return;
        }

        if (string.IsNullOrEmpty(options.SigningKey))
        {
            options.SigningKey = JwtIdentityOptions.DevelopmentOnlySigningKey;
        }

        if (IsDevelopmentKey(options.SigningKey))
        {
            logger.LogWarning(
                "Tokens are checked with the DEVELOPMENT-ONLY signing key published in the MsaShop repository: anyone can mint " +
                "any token for this process, admin included. Outside {Environment} it refuses to start with this key.",
                Environments.Development);
        }
    }

    public ValidateOptionsResult Validate(string? name, JwtIdentityOptions options)
    {
        if (options.UsesAuthority)
        {
            return !string.IsNullOrEmpty(options.SigningKey)
                ? ValidateOptionsResult.Fail(
                    $"Set either {Section}:Authority (an identity provider signs, services only validate) or {Section}:SigningKey (one " +
                        $"shared key), not both.")
                : IsAcceptableAuthority(options.Authority!)
                    ? ValidateOptionsResult.Success
                    : ValidateOptionsResult.Fail(
                        $"{Section}:Authority must be an absolute https URL (http only for a provider on this machine).");
        }

        if (options.SigningKey is not { Length: >= JwtIdentityOptions.MinimumSigningKeyLength })
        {
            return ValidateOptionsResult.Fail(
                $"{Section}:SigningKey must be set to at least {JwtIdentityOptions.MinimumSigningKeyLength} characters, or " +
                $"{Section}:Authority to an identity provider (only the {Environments.Development} environment falls back to a " +
                $"development key).");
        }

        return IsDevelopmentKey(options.SigningKey) && !environment.IsDevelopment()
            ? ValidateOptionsResult.Fail(
                $"{Section}:SigningKey is the development key published in the MsaShop repository: anyone could mint tokens, admin " +
                $"included. Outside {Environments.Development} use a key of your own from a secret store (openssl rand -base64 48), or " +
                $"{Section}:Authority.")
            : ValidateOptionsResult.Success;
    }

    private static bool IsDevelopmentKey(string? key) => key == JwtIdentityOptions.DevelopmentOnlySigningKey;

    private static bool IsAcceptableAuthority(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
