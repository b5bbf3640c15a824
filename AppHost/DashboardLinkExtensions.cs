using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace MsaShop.AppHost;

internal static class DashboardLinkExtensions
{
    /// <summary>
    /// Tells the storefront where the Aspire dashboard is, so it links each order's trace there. The dashboard
    /// listens on the AppHost's own address (ASPNETCORE_URLS, from its launch profile); none when publishing.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDashboardLink(this IResourceBuilder<ProjectResource> gateway)
    {
        var builder = gateway.ApplicationBuilder;
        var dashboard = builder.Configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        // Port 0 (a test's dashboard) is picked when the dashboard starts: there is no address to link yet.
        if (builder.ExecutionContext.IsRunMode && dashboard is not null && new Uri(dashboard).Port != 0)
        {
            gateway.WithEnvironment("Storefront__DashboardUrl", dashboard);
        }
        return gateway;
    }
}
