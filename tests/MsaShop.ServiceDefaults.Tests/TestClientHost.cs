using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MsaShop.ServiceDefaults.Tests;

/// <summary>A worker-style host (no web server) with the service defaults, to make HttpClients from.</summary>
internal static class TestClientHost
{
    public static IHost Create(Dictionary<string, string?> settings, ILoggerProvider? logs = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Configuration["Logging:LogLevel:MsaShop"] = "Information";
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }
        builder.AddServiceDefaults();
        return builder.Build();
    }
}
