using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using MsaShop.Client;
using MsaShop.LoadGeneration;

// Offers the shop open-loop load at a fixed rate for a fixed time, prints latencies and errors per operation,
// then checks the ledger. Tokens are signed with Identity__SigningKey from the environment (the development key
// when unset, which only a shop in Development accepts).
var url = new Option<string>("--url") { Description = "The shop's address: its gateway, e.g. http://127.0.0.1:5080", Required = true };
var rate = new Option<double>("--rate")
{
    Description = $"Arrivals per second (above 0, at most {LoadProfile.MaxRate:N0})",
    Required = true,
};
var duration = new Option<string>("--duration") { Description = "How long to offer load: 30s, 2m (at most 50m)", Required = true };
var mix = new Option<string>("--mix")
{
    Description = "Operation weights: shopping (default), orders, items, or browse=3,search=1,item=5,order=1",
    DefaultValueFactory = _ => "shopping",
};
var customers = new Option<int>("--customers") { Description = "Customers placing the orders", DefaultValueFactory = _ => 100 };
var declines = new Option<double>("--decline-share")
{
    Description = "Share of orders paid with a declining token (0..1)",
    DefaultValueFactory = _ => 0.05,
};
var poisson = new Option<bool>("--poisson") { Description = "Random (Poisson) arrivals instead of evenly spaced ones" };
var seed = new Option<int>("--seed")
{
    Description = "Seeds the choice of operations, products and customers",
    DefaultValueFactory = _ => 11,
};
var restock = new Option<int>("--restock")
{
    Description = "Units added (as admin) to each ordered product's stock before the run",
    DefaultValueFactory = _ => 0,
};
var paymentUrl = new Option<string?>("--payment-url")
{
    Description = "The payment service's own address, to compare charges with completed orders",
};
var noLedger = new Option<bool>("--no-ledger") { Description = "Skip the ledger check" };
var settle = new Option<string>("--settle")
{
    Description = "How long orders may take to settle after the load",
    DefaultValueFactory = _ => "2m",
};

var command = new RootCommand("MsaShop load generator: open-loop load at a bounded rate and duration, then a ledger check")
{
    url, rate, duration, mix, customers, declines, poisson, seed, restock, paymentUrl, noLedger, settle,
};
command.SetAction(async (parse, cancellationToken) =>
{
    LoadProfile profile;
    Uri shopAddress;
    Uri? paymentAddress;
    TimeSpan settleTimeout;
    try
    {
        shopAddress = AbsoluteUri(parse.GetRequiredValue(url));
        paymentAddress = parse.GetValue(paymentUrl) is { } payment ? AbsoluteUri(payment) : null;
        settleTimeout = ParseDuration(parse.GetRequiredValue(settle));
        profile = new LoadProfile(parse.GetRequiredValue(rate), ParseDuration(parse.GetRequiredValue(duration)))
        {
            Mix = OperationMix.Parse(parse.GetRequiredValue(mix)),
            Customers = parse.GetValue(customers),
            DeclineShare = parse.GetValue(declines),
            Poisson = parse.GetValue(poisson),
            Seed = parse.GetValue(seed),
        };
    }
    catch (Exception e) when (e is ArgumentException or FormatException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 2;
    }

    // Ctrl-C ends the load early; what was sent is still reported.
    using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
    {
        context.Cancel = true;
        interrupted.Cancel();
    });

    var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
    var tokens = new ShopTokens(configuration);
    using var http = ShopClient.CreateHttpClient(shopAddress, profile.RequestTimeout);
    var shop = new ShopAccess(http, tokens);

    var targets = await LoadTargets.DiscoverAsync(shop, cancellationToken: cancellationToken);
    if (parse.GetValue(restock) is > 0 and var units)
    {
        await shop.RestockAsync(targets.OrderProductIds, units, cancellationToken);
    }
    var before = await StockSnapshot.TakeAsync(shop, targets.OrderProductIds, cancellationToken);
    Console.WriteLine(
        $"{profile.Arrivals:N0} arrivals at {profile.Rate:N0}/s for {profile.Duration.TotalSeconds:0} s ({profile.Mix}) against " +
        $"{http.BaseAddress}");

    LoadReport report;
    try
    {
        report =
            await LoadGenerator.RunAsync(shop, targets, profile, p => Console.Error.WriteLine(p), cancellationToken: interrupted.Token);
    }
    catch (OperationCanceledException) when (interrupted.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
    {
        Console.Error.WriteLine("interrupted: no report");
        return 130;
    }
    report.WriteTo(Console.Out);
    if (parse.GetValue(noLedger))
    {
        return 0;
    }

    using var paymentHttp = paymentAddress is null ? null : ShopClient.CreateHttpClient(paymentAddress, profile.RequestTimeout);
    var ledger = await LedgerCheck.RunAsync(shop, report.Orders, before, new LedgerCheckOptions
    {
        SettleTimeout = settleTimeout,
        Payments = paymentHttp is null ? null : new PaymentLedger(paymentHttp, tokens),
    }, cancellationToken);
    Console.WriteLine();
    ledger.WriteTo(Console.Out);
    return ledger.Balanced ? 0 : 1;
});
return await command.Parse(args).InvokeAsync();

static Uri AbsoluteUri(string text) =>
    Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        ? uri
        : throw new FormatException($"'{text}' is not an http(s) address.");

// 30s, 2m, 1h, or plain seconds.
static TimeSpan ParseDuration(string text)
{
    var unit = text[^1];
    var number = char.IsDigit(unit) ? text : text[..^1];
    if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
    {
        throw new FormatException($"'{text}' is not a duration such as 30s, 2m or 1h.");
    }
    return unit switch
    {
        'h' => TimeSpan.FromHours(value),
        'm' => TimeSpan.FromMinutes(value),
        's' or (>= '0' and <= '9') => TimeSpan.FromSeconds(value),
        _ => throw new FormatException($"'{text}' is not a duration such as 30s, 2m or 1h."),
    };
}
