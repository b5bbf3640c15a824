using MsaShop.Ordering.Api;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrderingServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOrdersApi();
app.MapDefaultOpenApi();

app.Run();

