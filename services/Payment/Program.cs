using MsaShop.Payment.Api;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPaymentServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapPaymentsApi();
app.MapPatternLab();

app.Run();

