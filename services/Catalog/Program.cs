var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCatalogServices();

var app = builder.Build();

app.UseCatalogVersionHeader();
app.MapDefaultEndpoints();
app.MapCatalogApi();
app.MapPatternLab();
app.MapDefaultOpenApi();

app.Run();

// Lets tests host the service in-process with WebApplicationFactory<Program>.
public partial class Program;
