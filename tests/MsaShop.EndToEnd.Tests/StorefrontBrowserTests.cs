using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MsaShop.EndToEnd.Tests.Infrastructure;
using MsaShop.EndToEnd.Tests.Storefront;
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

        // First load, from a cold cache: what it weighs, and when the page answers a click.
        var weight = PageWeight.Watch(page);
        await page.GotoAsync("/");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true");
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
        await page.FillAsync("#customer", customer);
        await page.ClickAsync("#sign-in-button");
        await Expect(page.Locator("#signed-in-as")).ToHaveTextAsync($"Signed in as {customer}");

        // tok_visa: the order completes.
        var (visa, visaRequest, visaResponse) = await PlaceOrderAsync(page, product.Id, "tok_visa");
        await Expect(visa).ToHaveAttributeAsync("data-status", "Completed", SagaEnds);
        await Expect(visa.Locator(".order-status")).ToHaveTextAsync("Completed");
        await Expect(visa.Locator(".order-total")).ToHaveTextAsync("25.00");
        // Stock was reserved before payment: the page, refreshed when the order ended, shows two fewer.
        await Expect(page.Locator("#items > li")).ToContainTextAsync("48 in stock");

        // How it works: the trace the gateway reported, the catalog that served the page, the key the order carried.
        var traceResponse = await visaResponse.HeaderValueAsync("traceresponse");
        Assert.NotNull(traceResponse);
        var traceId = traceResponse.Split('-')[1];
        await Expect(visa.Locator(".trace-id")).ToHaveTextAsync(traceId);
        // The AppHost tells the gateway where its dashboard listens; the trace's page there is /traces/detail/{id}.
        await Expect(visa.Locator(".trace-link")).ToHaveAttributeAsync("href", new Regex($"^https?://[^/]+/traces/detail/{traceId}$"));
        await Expect(visa.Locator(".catalog-version")).ToHaveTextAsync("stable");
        var idempotencyKey = await visaRequest.HeaderValueAsync("idempotency-key");
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", idempotencyKey);
        await Expect(visa.Locator(".idempotency-key")).ToHaveTextAsync(idempotencyKey!);

        // tok_decline: the order is cancelled, and the page says why.
        var (declined, declinedRequest, _) = await PlaceOrderAsync(page, product.Id, "tok_decline");
        await Expect(declined).ToHaveAttributeAsync("data-status", "Cancelled", SagaEnds);
        await Expect(declined.Locator(".order-status")).ToHaveTextAsync("Cancelled: PaymentDeclined");
        Assert.NotEqual(idempotencyKey, await declinedRequest.HeaderValueAsync("idempotency-key"));

        await declined.Locator("summary").ClickAsync();
        await visa.Locator("summary").ClickAsync();
        Directory.CreateDirectory(Results);
        var screenshot = Path.Combine(Results, "storefront.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Report($"storefront screenshot: {screenshot}");
    }

    /// <summary>Puts two of the product in the cart, picks the payment token, places the order; returns its card and the POST.</summary>
    private static async Task<(ILocator Card, IRequest Request, IResponse Response)> PlaceOrderAsync(IPage page, int productId, string paymentToken)
    {
        var add = page.Locator($"#items > li[data-product-id=\"{productId.ToString(CultureInfo.InvariantCulture)}\"] button");
        await add.ClickAsync();
        await add.ClickAsync();
        await page.SelectOptionAsync("#payment-token", paymentToken);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.ClickAsync("#place-order"),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/api/orders", StringComparison.Ordinal));
        Assert.Equal(202, response.Status);
        var orderId = (await response.JsonAsync())!.Value.GetProperty("orderId").GetString();
        return (page.Locator($".order[data-order-id=\"{orderId}\"]"), response.Request, response);
    }

    private static void Report(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Directory.CreateDirectory(Results);
        File.AppendAllText(Path.Combine(Results, "figures.txt"), line + Environment.NewLine);
    }
}
