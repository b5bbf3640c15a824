using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MsaShop.ServiceDefaults.Authentication;

/// <summary>
/// Falls back to the development-only key in Development, and fails start-up anywhere else
/// when no key (or a short one) is configured.
/// </summary>
internal sealed class JwtIdentityOptionsSetup(IHostEnvironment environment)
    : IPostConfigureOptions<JwtIdentityOptions>, IValidateOptions<JwtIdentityOptions>
{
    public void PostConfigure(string? name, JwtIdentityOptions options)
    {
        if (string.IsNullOrEmpty(options.SigningKey) && environment.IsDevelopment())
        {
            options.SigningKey = DevelopmentTokens.DevelopmentOnlySigningKey;
        }
    }

    public ValidateOptionsResult Validate(string? name, JwtIdentityOptions options) =>
        options.SigningKey is { Length: >= JwtIdentityOptions.MinimumSigningKeyLength }
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{JwtIdentityOptions.SectionName}:SigningKey must be set to at least {JwtIdentityOptions.MinimumSigningKeyLength} characters " +
                $"(only the {Environments.Development} environment falls back to a development key).");
}
