using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MsaShop.Harness;

namespace MsaShop.Benchmarks;

/// <summary>
/// The floor for an HTTP read on this machine: Kestrel and minimal-API routing returning a fixed JSON body
/// (the same bytes the catalog answers), nothing else. Runs as its own process (<c>bare-kestrel</c>), with the
/// garbage collector the catalog is built with, so the two differ only by what the catalog does per request.
/// </summary>
internal static class BareKestrel
{
    public const string Command = "bare-kestrel";

    public static async Task<int> RunAsync(string url, string bodyFile)
    {
        var body = await File.ReadAllBytesAsync(bodyFile);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/api/catalog/items/{id:int}", (int id) => Results.Bytes(body, "application/json; charset=utf-8"));
        await app.RunAsync();
        return 0;
    }

    /// <summary>Starts it beside the servers (stopped with them) and waits until it answers.</summary>
    public static async Task<(LocalProcess Process, Uri Address)> StartAsync(
        BackingServers infrastructure, string repositoryRoot, byte[] body, CancellationToken cancellationToken)
    {
        var bodyFile = Path.Combine(infrastructure.Directory, "bare-kestrel.json");
        await File.WriteAllBytesAsync(bodyFile, body, cancellationToken);
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var start = new ProcessStartInfo("dotnet", [typeof(BareKestrel).Assembly.Location, Command, address.ToString(), bodyFile]);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in GarbageCollectorOf(repositoryRoot))
        {
            start.Environment[key] = value;
        }
        var process = infrastructure.StartProcess("bare-kestrel", start);
        await WaitUntilListeningAsync(address, process, cancellationToken);
        return (process, address);
    }

    public static async Task WaitUntilListeningAsync(Uri address, LocalProcess process, CancellationToken cancellationToken)
    {
        for (var attempt = 0; !FreePort.IsListening(address.Port); attempt++)
        {
            if (process.HasExited || attempt > 600)
            {
                throw new InvalidOperationException($"{process.Name} did not start; its log: {process.LogPath}");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    // The catalog's runtimeconfig.json decides its GC; the same settings, as environment variables, for this process.
    private static Dictionary<string, string> GarbageCollectorOf(string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, "services", "Catalog", "bin", "Release", "net10.0", "MsaShop.Catalog.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var settings = new Dictionary<string, string>();
        if (!document.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties))
        {
            return settings;
        }
        foreach (var (name, variable) in new[] { ("System.GC.Server", "DOTNET_gcServer"), ("System.GC.Concurrent", "DOTNET_gcConcurrent") })
        {
            if (properties.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                settings[variable] = value.GetBoolean() ? "1" : "0";
            }
        }
        if (properties.TryGetProperty("System.GC.DynamicAdaptationMode", out var datas))
        {
            settings["DOTNET_GCDynamicAdaptationMode"] = datas.ToString();
        }
        return settings;
    }
}
