namespace Microsoft.Extensions.Configuration;

public static class GatewayConfigFileExtensions
{
    public const string ConfigFileKey = "Gateway:ConfigFile";
    public const string ConfigFileEnvironmentVariable = "GATEWAY_CONFIG_FILE";

    /// <summary>
    /// Adds the JSON file named by <c>Gateway:ConfigFile</c> (or env <c>GATEWAY_CONFIG_FILE</c>), last and
    /// watched: writing it shifts the canary weight live, without a restart. It may not exist yet at
    /// start; creating it later counts as a change.
    /// </summary>
    public static IConfigurationManager AddGatewayConfigFile(this IConfigurationManager configuration)
    {
        var path = configuration[ConfigFileKey] ?? configuration[ConfigFileEnvironmentVariable];
        if (!string.IsNullOrWhiteSpace(path))
        {
            configuration.AddJsonFile(Path.GetFullPath(path), optional: true, reloadOnChange: true);
        }

        return configuration;
    }
}
