using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace MsaShop.AppHost;

/// <summary>What every MsaShop service project has in common in the topology.</summary>
internal static class ServiceResourceExtensions
{
    /// <summary>
    /// Adds a service project whose <c>/health</c> (readiness) endpoint gates the resources that wait for it.
    /// A reference gives it only the keys MsaShop's services read, <c>ConnectionStrings__*</c> and
    /// <c>services__*</c>: not every server's host, port and password as separate variables as well.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
        => builder.AddProject<TProject>(name)
            .WithReferenceEnvironment(
                ReferenceEnvironmentInjectionFlags.ConnectionString | ReferenceEnvironmentInjectionFlags.ServiceDiscovery)
            .WithHttpHealthCheck("/health")
            .RunningItsBuild();

    /// <summary>
    /// Starts the service from the build the AppHost's own build made, rather than through <c>dotnet run</c>, whose
    /// evaluation of the project costs each instance seconds of CPU at every start. Not under an IDE, which launches
    /// projects itself (to debug them), and not when that build is missing.
    /// </summary>
    private static IResourceBuilder<ProjectResource> RunningItsBuild(this IResourceBuilder<ProjectResource> service)
    {
        var builder = service.ApplicationBuilder;
        var projectPath = service.Resource.GetProjectMetadata().ProjectPath;
        var projectDirectory = Path.GetDirectoryName(projectPath)!;
        var configuration = typeof(ServiceResourceExtensions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        var executable = Path.Combine(
            projectDirectory, "bin", configuration ?? "Debug", "net10.0", Path.GetFileNameWithoutExtension(projectPath));
        if (builder.ExecutionContext.IsRunMode && builder.Configuration["DEBUG_SESSION_PORT"] is null && File.Exists(executable))
        {
            service.WithAnnotation(new ExecutableAnnotation { Command = executable, WorkingDirectory = projectDirectory });
        }
        return service;
    }

    /// <summary>
    /// Lets Aspire choose the port of a second deployment of a project, which would otherwise try to
    /// bind the port its launch profile pins for the first one.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDynamicHttpPort(this IResourceBuilder<ProjectResource> project)
        => project.WithEndpoint("http", endpoint => endpoint.Port = null, createIfNotExists: false);

    /// <summary>
    /// Gives every service the same JWT signing key, a secret parameter that <c>azd up</c> asks for once.
    /// Only when publishing: on F5 the services run in Development and use their labelled development key.
    /// </summary>
    public static void AddDeploymentSigningKey(this IDistributedApplicationBuilder builder,
        params IResourceBuilder<ProjectResource>[] services)
    {
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return;
        }

        var signingKey = builder.AddParameter("jwt-signing-key", secret: true);
        foreach (var service in services)
        {
            service.WithEnvironment("Identity__SigningKey", signingKey);
        }
    }
}
