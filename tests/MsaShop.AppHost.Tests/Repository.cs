namespace MsaShop.AppHost.Tests;

/// <summary>The clone the tests were built from: the folder holding MsaShop.sln, above the AppHost.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(Projects.MsaShop_AppHost.ProjectPath); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MsaShop.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"no MsaShop.sln above {Projects.MsaShop_AppHost.ProjectPath}");
    }
}
