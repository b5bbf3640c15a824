using System.Globalization;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using MsaShop.Testing.Browser;
using static Microsoft.Playwright.Assertions;

namespace MsaShop.AppHost.Tests;

/// <summary>
/// One order placed in the storefront, then found in the Aspire dashboard as a developer would: the Traces page,
/// the order's <c>POST /api/orders</c>, its spans. The picture of that view is docs/images/order-trace.png.
/// </summary>
[Collection(StartedShop.Collection)]
public sealed class DashboardTraceTests(StartedShop shop)
{
    private static readonly string Results = Path.Combine(Repository.Root, "artifacts", "test-results", "storefront");

    // Bounds for a loaded two-core machine: the saga's end, and spans reaching the dashboard in batches.
    private static readonly LocatorAssertionsToHaveAttributeOptions SagaEnds = new() { Timeout = 60_000 };
    private static readonly LocatorAssertionsToContainTextOptions SpansArrive = new() { Timeout = 60_000 };

    // The resources whose spans one order must leave; the dashboard names a replica <resource>-<suffix>.
    private static readonly string[] Services = ["gateway", "ordering", "catalog", "payment"];

    // The span list's rows are 32 px high below about 150 px of header: a viewport that shows every row renders them all.
    private const int HeaderHeight = 160;
    private const int RowHeight = 32;
    private const int LateSpans = 4;

    [Fact]
    public async Task One_order_is_one_trace_in_the_dashboard_through_gateway_ordering_catalog_and_payment()
    {
        var ct = TestContext.Current.CancellationToken;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);

        var traceId = await PlaceOneOrderAsync(browser);

        // The dashboard's own browser token, in a context of its own: no credential is shared with the storefront.
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync((await shop.App.GetDashboardUrlAsync(ct)).ToString());
            await OpenTraceAsync(page, traceId);
            await ShowEverySpanAsync(page);

            // The span list names on each row the resource that recorded the span.
            foreach (var service in Services)
            {
                var row = page.Locator(".resource-name", new PageLocatorOptions { HasTextRegex = ResourceOf(service) });
                await Expect(row.First).ToBeVisibleAsync();
            }
            var resources = (await page.Locator(".resource-name").AllInnerTextsAsync()).Distinct().Order();
            var screenshot = await DocumentationImage.SaveAsync(page, Repository.Root, Results, "order-trace.png");
            TestContext.Current.TestOutputHelper?.WriteLine($"trace {traceId}: {string.Join(", ", resources)}; screenshot {screenshot}");
        }
        catch
        {
            Directory.CreateDirectory(Results);
            await File.WriteAllTextAsync(Path.Combine(Results, "order-trace-failed.html"), await page.ContentAsync(), ct);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Results, "order-trace-failed.png") });
            throw;
        }
    }

    /// <summary>A customer orders the first product with tok_visa and sees it complete; returns the order's trace id.</summary>
    private async Task<string> PlaceOneOrderAsync(IBrowser browser)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = shop.App.GetEndpoint("gateway", "http").ToString(),
        });
        var storefront = new StorefrontPage(await context.NewPageAsync());
        await storefront.OpenAsync();
        await storefront.SignInAsync("dashboard-" + Guid.NewGuid().ToString("N")[..8]);
        var order = await storefront.PlaceOrderAsync(await storefront.FirstProductIdAsync(), "tok_visa");
        await Expect(order.Card).ToHaveAttributeAsync("data-status", "Completed", SagaEnds);
        return await order.TraceIdAsync();
    }

    /// <summary>The Traces page, narrowed to the orders' POST; the row of this trace (its short id) once it holds every service.</summary>
    private static async Task OpenTraceAsync(IPage page, string traceId)
    {
        await page.GotoAsync(new Uri(new Uri(page.Url), "/traces").ToString());
        // Typed and entered as a person would: the page filters on the input's change.
        var filter = page.Locator("fluent-text-input[name='traces-search'] input");
        await filter.PressSequentiallyAsync("POST /api/orders");
        await filter.PressAsync("Enter");
        var row = page.Locator("tr.fluent-data-grid-row", new PageLocatorOptions { HasText = traceId[..7] });
        foreach (var service in Services)
        {
            await Expect(row).ToContainTextAsync(service, SpansArrive);
        }
        // The short trace id beside the name is the link to the trace's page.
        await row.GetByText(traceId[..7], new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        // The dashboard navigates within the page (no load event): wait for the address, not a load.
        await Expect(page).ToHaveURLAsync(new Regex($"/traces/detail/{traceId}"));
    }

    /// <summary>Makes the viewport tall enough to show, and so render, every span of the trace (a few late ones too).</summary>
    private static async Task ShowEverySpanAsync(IPage page)
    {
        var totalSpans = page.Locator(".trace-header div", new PageLocatorOptions { HasText = "Total spans" }).Locator("strong");
        await Expect(totalSpans).ToHaveTextAsync(new Regex(@"^\d+$"));
        var spans = int.Parse(await totalSpans.InnerTextAsync(), CultureInfo.InvariantCulture);
        await page.SetViewportSizeAsync(1280, Math.Max(800, HeaderHeight + RowHeight * (spans + LateSpans)));
    }

    /// <summary>The service, or one of its replicas (&lt;service&gt;-&lt;suffix&gt;); catalog-canary is not catalog.</summary>
    private static Regex ResourceOf(string service) => new($"^{service}(-(?!canary)[a-z0-9]+)?$");
}
