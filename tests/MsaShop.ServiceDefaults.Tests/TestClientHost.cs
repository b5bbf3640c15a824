using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MsaShop.ServiceDefaults.Tests;

/// <summary>A worker-style host (no web server) with the service defaults, to make HttpClients from.</summary>
internal static class TestClientHost
{
    public static IHost Create(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.AddServiceDefaults();
        services?.Invoke(builder.Services);
        return builder.Build();
    }
}
