using Microsoft.Playwright;

namespace MsaShop.Testing.Browser;

/// <summary>
/// A screenshot a test keeps with its results, and which the docs show: with MSASHOP_REFRESH_DOC_IMAGES=1 the test
/// also writes it to docs/images, so the pictures in README.md and docs/ come from a run, never by hand.
/// </summary>
public static class DocumentationImage
{
    public const string RefreshVariable = "MSASHOP_REFRESH_DOC_IMAGES";

    /// <summary>Saves what the page's viewport shows as <paramref name="results"/>/<paramref name="fileName"/>; returns its path.</summary>
    public static async Task<string> SaveAsync(IPage page, string repositoryRoot, string results, string fileName)
    {
        Directory.CreateDirectory(results);
        var screenshot = Path.Combine(results, fileName);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        if (Environment.GetEnvironmentVariable(RefreshVariable) == "1")
        {
            File.Copy(screenshot, Path.Combine(repositoryRoot, "docs", "images", fileName), overwrite: true);
        }
        return screenshot;
    }
}
