using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MsaShop.EndToEnd.Tests.Infrastructure;
using MsaShop.EndToEnd.Tests.Storefront;
using MsaShop.Testing.Browser;
using static Microsoft.Playwright.Assertions;

namespace MsaShop.EndToEnd.Tests;

/// <summary>
/// The storefront in a real browser (Debian's chromium, headless, through Playwright) against the whole shop: it
/// browses, searches, signs in, orders with tok_visa and sees Completed, orders with tok_decline and sees why it
/// was cancelled. It measures the first load (bytes transferred, time to interactive) and keeps a screenshot.
/// </summary>
public sealed class StorefrontBrowserTests(ShopFixture shop)
{
    private static readonly string Results = RepositoryRoot.Combine("artifacts", "test-results", "storefront");

    // The saga's bound, not a speed claim: a loaded two-core machine runs every service at once.
    private static readonly LocatorAssertionsToHaveAttributeOptions SagaEnds = new() { Timeout = 60_000 };

    [Fact]
    public async Task A_customer_browses_searches_orders_and_watches_each_order_end()
    {
        var product = await shop.Api.CreateProductAsync(price: 12.5m, stock: 50);
        var customer = Shoppers.NewCustomer();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = shop.AddressOf("gateway"),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var storefront = new StorefrontPage(page);

        // First load, from a cold cache: what it weighs, and when the page answers a click.
        var weight = PageWeight.Watch(page);
        await storefront.OpenAsync();
        var (requests, bytes) = await weight.MeasureAsync();
        var interactiveMs = await page.EvaluateAsync<double>("() => performance.getEntriesByName('msashop-interactive')[0].startTime");
        Report($"storefront first load: {bytes} bytes in {requests} requests; time to interactive {interactiveMs:F0} ms");

        // Browse: a page of 8, then the next one.
        await Expect(page.Locator("#items > li")).ToHaveCountAsync(8);
        await Expect(page.Locator("#catalog-served-by")).ToContainTextAsync("served by the stable catalog");
        await page.ClickAsync("#next-page");
        await Expect(page.Locator("#page-info")).ToContainTextAsync(new Regex("^Page 2 of \\d+$"));

        // Search: the product this test made, alone.
        await page.FillAsync("#search-text", product.Name);
        await page.ClickAsync("#search button");
        await Expect(page.Locator("#items > li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#items > li")).ToContainTextAsync(product.Name);
        await Expect(page.Locator("#items > li .price")).ToHaveTextAsync("12.50");

        // Sign in as a development customer.
        await storefront.SignInAsync(customer);

        // tok_visa: the order completes.
        var visaOrder = await storefront.PlaceOrderAsync(product.Id, "tok_visa");
        var (visa, visaRequest, _) = visaOrder;
        await Expect(visa).ToHaveAttributeAsync("data-status", "Completed", SagaEnds);
        await Expect(visa.Locator(".order-status")).ToHaveTextAsync("Completed");
        await Expect(visa.Locator(".order-total")).ToHaveTextAsync("25.00");
        // Stock was reserved before payment: the page, refreshed when the order ended, shows two fewer.
        await Expect(page.Locator("#items > li")).ToContainTextAsync("48 in stock");

        // How it works: the trace the gateway reported, the catalog that served the page, the key the order carried.
        var traceId = await visaOrder.TraceIdAsync();
        await Expect(visa.Locator(".trace-id")).ToHaveTextAsync(traceId);
        // The AppHost tells the gateway where its dashboard listens; the trace's page there is /traces/detail/{id}.
        await Expect(visa.Locator(".trace-link")).ToHaveAttributeAsync("href", new Regex($"^https?://[^/]+/traces/detail/{traceId}$"));
        await Expect(visa.Locator(".catalog-version")).ToHaveTextAsync("stable");
        var idempotencyKey = await visaRequest.HeaderValueAsync("idempotency-key");
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", idempotencyKey);
        await Expect(visa.Locator(".idempotency-key")).ToHaveTextAsync(idempotencyKey!);

        // tok_decline: the order is cancelled, and the page says why.
        var (declined, declinedRequest, _) = await storefront.PlaceOrderAsync(product.Id, "tok_decline");
        await Expect(declined).ToHaveAttributeAsync("data-status", "Cancelled", SagaEnds);
        await Expect(declined.Locator(".order-status")).ToHaveTextAsync("Cancelled: PaymentDeclined");
        Assert.NotEqual(idempotencyKey, await declinedRequest.HeaderValueAsync("idempotency-key"));

        await declined.Locator("summary").ClickAsync();
        await visa.Locator("summary").ClickAsync();
        Report($"storefront screenshot: {await DocumentationImage.SaveAsync(page, RepositoryRoot.Path, Results, "storefront.png")}");
    }

    private static void Report(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Directory.CreateDirectory(Results);
        File.AppendAllText(Path.Combine(Results, "figures.txt"), line + Environment.NewLine);
    }
}
