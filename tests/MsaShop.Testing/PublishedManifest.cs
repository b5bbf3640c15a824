using System.Reflection;
using MsaShop.Harness;

namespace MsaShop.Testing;

/// <summary>The AppHost's manifest for the build the tests run from: published once per AppHost build, read once per test run.</summary>
public static class PublishedManifest
{
    /// <summary>Debug or Release: the configuration this test run was built in, and the AppHost with it.</summary>
    public static string Configuration { get; } =
        typeof(PublishedManifest).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    private static readonly Lazy<Task<AppHostManifest>> Manifest =
        new(() => AppHostManifest.OfBuildAsync(RepositoryRoot.Path, Configuration));

    public static Task<AppHostManifest> OfThisBuildAsync() => Manifest.Value;
}
