var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCatalogServices();

var app = builder.Build();

app.UseCatalogVersionHeader();
app.MapDefaultEndpoints();
app.MapCatalogApi();
app.MapPatternLab();
if (app.Environment.IsDevelopment())
{
    app.MapOpenApi();
}

app.Run();

// Lets tests host the service in-process with WebApplicationFactory<Program>.
public partial class Program;
