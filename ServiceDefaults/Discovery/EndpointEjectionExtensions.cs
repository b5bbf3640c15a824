using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using MsaShop.ServiceDefaults.Discovery;

namespace Microsoft.Extensions.DependencyInjection;

public static class EndpointEjectionExtensions
{
    /// <summary>
    /// Steps this client's attempts around an instance of the called service that just refused a connection or timed out
    /// (<see cref="EndpointEjections"/>), so one dead replica of several costs no call: each retry of the resilience
    /// handler goes to an instance still in rotation. Configuration: <c>ServiceDiscovery:Ejection:EjectFor</c>.
    /// Call it after the client's resilience handler is in place (after <c>ReplaceStandardResilienceHandler</c>), and
    /// let the client's circuit breaker skip the attempts it steps around (<see cref="SteppedAroundFailure"/>).
    /// </summary>
    public static IHttpClientBuilder StepAroundFailingInstances(this IHttpClientBuilder client)
    {
        client.Services.AddOptions<EndpointEjectionOptions>().BindConfiguration(EndpointEjectionOptions.SectionName);
        client.Services.TryAddSingleton(TimeProvider.System);
        client.Services.TryAddSingleton<EndpointEjections>();
        client.Services.TryAddTransient<EndpointEjectingHandler>();
        client.ConfigureAdditionalHttpMessageHandlers((handlers, services) =>
        {
            // Right inside the outermost resilience handler: each retry chooses again. Discovery's handler stays inside.
            var resilience = handlers.OfType<ResilienceHandler>().FirstOrDefault();
            handlers.Insert(resilience is null ? 0 : handlers.IndexOf(resilience) + 1,
                services.GetRequiredService<EndpointEjectingHandler>());
        });
        return client;
    }
}
