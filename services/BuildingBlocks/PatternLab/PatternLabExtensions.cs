using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MsaShop.ServiceDefaults.Authorization;
using MsaShop.PatternLab;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The pattern lab (docs/pattern-lab.md): runtime fault knobs (a slow or failing payment provider, slow catalog
/// reads) to watch retries, the circuit breaker and timeouts at work in the dashboard. Development only, admin only:
/// outside Development neither the knobs nor their endpoints exist.
/// </summary>
public static class PatternLabExtensions
{
    public static TBuilder AddPatternLab<TBuilder>(this TBuilder builder, params PatternLabKnob[] knobs)
        where TBuilder : IHostApplicationBuilder
    {
        if (!builder.Environment.IsDevelopment())
        {
            return builder;
        }
        var settings = new PatternLabSettings();
        ((IConfigurationBuilder)builder.Configuration).Add(settings);
        builder.Services.AddSingleton(services => new PatternLab(knobs, settings, services.GetRequiredService<IConfiguration>()));
        return builder;
    }

    /// <summary>GET /lab (the knobs), PUT /lab/{name} <c>{"value": n}</c> (turn one), DELETE /lab (all back), for role admin.</summary>
    public static IEndpointRouteBuilder MapPatternLab(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<PatternLab>() is null)
        {
            return app;
        }
        var lab = app.MapGroup("/lab").RequireAuthorization(AuthorizationPolicies.Admin).WithTags("Pattern lab");
        lab.MapGet("/", (PatternLab knobs) => TypedResults.Ok(knobs.Knobs.Select(knobs.StateOf)));
        lab.MapPut("/{name}", Turn);
        lab.MapDelete("/", (PatternLab knobs) =>
        {
            knobs.Reset();
            return TypedResults.NoContent();
        });
        return app;
    }

    private static Results<Ok<PatternLabKnobState>, ProblemHttpResult, ValidationProblem> Turn(string name, PatternLabTurn turn,
        PatternLab lab)
    {
        if (lab.Find(name) is not { } knob)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No knob '{name}'",
                detail: $"This service's knobs: {string.Join(", ", lab.Knobs.Select(k => k.Name))}.");
        }
        if (turn.Value is not { } value || double.IsNaN(value) || value < knob.Minimum || value > knob.Maximum)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["value"] = [$"'{knob.Name}' takes a number from {knob.Minimum} to {knob.Maximum}."],
            });
        }
        lab.Turn(knob, value);
        return TypedResults.Ok(lab.StateOf(knob));
    }
}
