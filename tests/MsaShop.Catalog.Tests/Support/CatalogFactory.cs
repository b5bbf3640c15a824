using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MsaShop.ServiceDefaults.Authentication;

namespace MsaShop.Catalog.Tests.Support;

/// <summary>The real catalog Program in the test process, configured only through settings, as the AppHost would.</summary>
public sealed class CatalogFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client whose requests carry a development token for <paramref name="subject"/>.</summary>
    public HttpClient CreateClientFor(string subject, params string[] roles)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentTokens.Create(subject, roles));
        return client;
    }
}
