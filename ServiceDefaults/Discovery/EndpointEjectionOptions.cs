namespace MsaShop.ServiceDefaults.Discovery;

/// <summary>Configuration section <c>ServiceDiscovery:Ejection</c>: how long an instance that failed is stepped around.</summary>
public sealed class EndpointEjectionOptions
{
    public const string SectionName = "ServiceDiscovery:Ejection";

    /// <summary>
    /// How long an instance that refused a connection or let an attempt time out gets no request while another instance
    /// is in rotation. Then one request tries it again: an answer puts it back, another failure ejects it again.
    /// </summary>
    public TimeSpan EjectFor { get; set; } = TimeSpan.FromSeconds(10);
}
