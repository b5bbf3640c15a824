namespace MsaShop.LocalInfrastructure;

/// <summary>How <see cref="LocalShop"/> starts the shop's service processes.</summary>
public sealed record LocalShopOptions
{
    /// <summary>Build configuration of the services to start; by default the caller's own (Debug or Release).</summary>
    public string? Configuration { get; init; }

    /// <summary>The repository root; by default found by walking up to MsaShop.sln.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>The gateway's port; 0 picks a free one.</summary>
    public int GatewayPort { get; init; }

    /// <summary>Percent of users the gateway sends to the catalog canary (0, as in the AppHost); changeable later with <see cref="LocalShop.SetCanaryWeightAsync"/>.</summary>
    public int CanaryWeight { get; init; }

    /// <summary>Where every process sends its traces, metrics and logs (OTLP); null leaves the inherited environment alone.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Extra environment variables for every service process (e.g. OTEL_BSP_SCHEDULE_DELAY).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long one process may take to answer /health with 200.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
