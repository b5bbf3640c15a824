using MsaShop.Ordering.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrderingServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOrdersApi();
if (app.Environment.IsDevelopment())
{
    app.MapOpenApi();
}

app.Run();

