using Microsoft.Extensions.Configuration;

namespace MsaShop.PatternLab;

/// <summary>The knobs one service offers, and the settings they have turned. Registered in Development only.</summary>
public sealed class PatternLab
{
    private readonly PatternLabSettings _settings;
    private readonly IConfiguration _configuration;

    internal PatternLab(IReadOnlyList<PatternLabKnob> knobs, PatternLabSettings settings, IConfiguration configuration) =>
        (Knobs, _settings, _configuration) = (knobs, settings, configuration);

    public IReadOnlyList<PatternLabKnob> Knobs { get; }

    public PatternLabKnob? Find(string name) =>
        Knobs.FirstOrDefault(knob => string.Equals(knob.Name, name, StringComparison.OrdinalIgnoreCase));

    public void Turn(PatternLabKnob knob, double value) => _settings.Turn(knob.ConfigurationKey, knob.ToSetting(value));

    /// <summary>Every knob back to what the service's configuration says.</summary>
    public void Reset() => _settings.Reset();

    /// <summary>What the service reads for the knob's setting now, and whether the lab set it.</summary>
    public PatternLabKnobState StateOf(PatternLabKnob knob) =>
        new(knob.Name, knob.Description, knob.ConfigurationKey, knob.Minimum, knob.Maximum,
            _configuration[knob.ConfigurationKey], _settings.Override(knob.ConfigurationKey) is not null);
}

/// <summary>A knob as GET /lab shows it.</summary>
public sealed record PatternLabKnobState(string Name, string Description, string Setting, double Minimum, double Maximum, string? Value,
    bool Turned);

/// <summary>PUT /lab/{name}'s body.</summary>
public sealed record PatternLabTurn(double? Value);
