using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MsaShop.ServiceDefaults.Tests;

/// <summary>A tiny real Kestrel app with the service defaults, listening on 127.0.0.1 and a free port.</summary>
internal sealed class TestApp(WebApplication app) : IAsyncDisposable
{
    public WebApplication App { get; } = app;

    public Uri Address { get; } = new(app.Urls.Single());

    public IServiceProvider Services => App.Services;

    public HttpClient CreateClient() => new() { BaseAddress = Address };

    public static async Task<TestApp> StartAsync(
        Action<WebApplication> mapEndpoints,
        IDictionary<string, string?>? configuration = null,
        Action<WebApplicationBuilder>? configureBuilder = null,
        string environment = "Development",
        bool withServiceDefaults = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        if (withServiceDefaults)
        {
            builder.AddServiceDefaults();
        }
        configureBuilder?.Invoke(builder);

        var app = builder.Build();
        if (withServiceDefaults)
        {
            app.MapDefaultEndpoints();
        }
        mapEndpoints(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TestApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
