var builder = WebApplication.CreateBuilder(args);

builder.Configuration.AddGatewayConfigFile();
builder.AddServiceDefaults();
builder.AddGatewayServices();
builder.AddStorefront();

var app = builder.Build();

// The client's address from a trusted proxy's X-Forwarded-For, before anything keys on it; the storefront's
// files, anonymous, next. Authentication then, so the rate limiter can partition by user; authorization after
// it, so a flood of anonymous calls to protected routes is limited too.
app.UseForwardedHeaders();
app.UseTraceResponseHeader();
app.UseStorefront();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

// The public face: /health tells anyone whether the gateway serves, and only an admin which destinations are down.
app.MapDefaultEndpoints(detailForAdminOnly: true);
app.MapGateway();
app.MapStorefront();
app.MapApiReference();

app.Run();

public partial class Program;
