using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MsaShop.ServiceDefaults.Resilience;

/// <summary>Binds <c>Resilience</c>, then <c>Resilience:Clients:{client name}</c> on top of it.</summary>
internal sealed class ConfigureHttpResilienceOptions(IConfiguration configuration) : IConfigureNamedOptions<HttpResilienceOptions>
{
    public void Configure(string? name, HttpResilienceOptions options)
    {
        var section = configuration.GetSection(HttpResilienceOptions.SectionName);
        section.Bind(options);
        if (!string.IsNullOrEmpty(name))
        {
            section.GetSection("Clients").GetSection(name).Bind(options);
        }
    }

    public void Configure(HttpResilienceOptions options) => Configure(Options.DefaultName, options);
}
