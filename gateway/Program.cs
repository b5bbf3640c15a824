var builder = WebApplication.CreateBuilder(args);

builder.Configuration.AddGatewayConfigFile();
builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();

// Authentication first so the rate limiter can partition by user; authorization after it, so a
// flood of anonymous calls to protected routes is limited too.
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapGateway();

app.Run();

public partial class Program;
