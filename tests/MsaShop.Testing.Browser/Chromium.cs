using Microsoft.Playwright;

namespace MsaShop.Testing.Browser;

/// <summary>
/// Debian's chromium, driven by Playwright (which cannot download its own browsers here). eng/lib/prerequisites.sh
/// installs it; MSASHOP_CHROMIUM names another executable.
/// </summary>
public static class Chromium
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("MSASHOP_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(ExecutablePath),
            $"{ExecutablePath} is missing: install Debian's chromium (bash eng/test.sh does, through eng/lib/prerequisites.sh) " +
                $"or set MSASHOP_CHROMIUM.");
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Nothing but the shop: no network the machine does not have (Playwright adds --disable-background-networking).
            Args = ["--disable-gpu", "--disable-quic", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }
}
