using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MsaShop.Testing.Browser;

/// <summary>An order the storefront placed: its card on the page, and the POST /api/orders that placed it.</summary>
public sealed record PlacedOrder(ILocator Card, IRequest Request, IResponse Response)
{
    /// <summary>The trace the gateway reported for the POST (W3C traceresponse: version-traceid-spanid-flags).</summary>
    public async Task<string> TraceIdAsync()
    {
        var traceResponse = await Response.HeaderValueAsync("traceresponse");
        Assert.NotNull(traceResponse);
        return traceResponse.Split('-')[1];
    }
}

/// <summary>The storefront (gateway/wwwroot) as a customer uses it, in a page whose base address is the gateway's.</summary>
public sealed class StorefrontPage(IPage page)
{
    public IPage Page => page;

    /// <summary>Loads the page and waits until it answers a click.</summary>
    public async Task OpenAsync()
    {
        await page.GotoAsync("/");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true");
    }

    /// <summary>Signs in as a development customer (the gateway's dev-token, Development only).</summary>
    public async Task SignInAsync(string customer)
    {
        await page.FillAsync("#customer", customer);
        await page.ClickAsync("#sign-in-button");
        await Expect(page.Locator("#signed-in-as")).ToHaveTextAsync($"Signed in as {customer}");
    }

    /// <summary>The id of the first product the catalog lists.</summary>
    public async Task<int> FirstProductIdAsync() =>
        int.Parse((await page.Locator("#items > li").First.GetAttributeAsync("data-product-id"))!, CultureInfo.InvariantCulture);

    /// <summary>Puts two of the product in the cart, picks the payment token, places the order.</summary>
    public async Task<PlacedOrder> PlaceOrderAsync(int productId, string paymentToken)
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
        return new PlacedOrder(page.Locator($".order[data-order-id=\"{orderId}\"]"), response.Request, response);
    }
}
