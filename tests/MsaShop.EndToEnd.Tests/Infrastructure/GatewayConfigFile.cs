using System.Globalization;
using System.Text.Json;

namespace MsaShop.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The gateway's extra settings file (GATEWAY_CONFIG_FILE), which it reloads on change: here the tests
/// move the canary weight without restarting anything.
/// </summary>
public sealed class GatewayConfigFile : IDisposable
{
    private readonly DirectoryInfo _directory;

    private GatewayConfigFile(DirectoryInfo directory) => _directory = directory;

    public string Path => System.IO.Path.Combine(_directory.FullName, "gateway.json");

    public static async Task<GatewayConfigFile> CreateAsync(int canaryWeight)
    {
        var file = new GatewayConfigFile(Directory.CreateTempSubdirectory("msashop-e2e-gateway-"));
        await file.SetCanaryWeightAsync(canaryWeight);
        return file;
    }

    /// <summary>The percentage of users (0-100) the gateway sends to catalog-canary.</summary>
    public async Task SetCanaryWeightAsync(int weight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, 100);
        var json = JsonSerializer.Serialize(new { Gateway = new { Canary = new { Weight = weight } } });
        // Written aside and renamed into place, so the gateway never reads half a file.
        var temporary = Path + "." + weight.ToString(CultureInfo.InvariantCulture) + ".tmp";
        await File.WriteAllTextAsync(temporary, json);
        File.Move(temporary, Path, overwrite: true);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
