using System.Globalization;

namespace MsaShop.PatternLab;

/// <summary>
/// One fault a teacher can turn at runtime: a number in [<see cref="Minimum"/>, <see cref="Maximum"/>] that becomes
/// the value of the setting <see cref="ConfigurationKey"/>, which the service already reads live (IOptionsMonitor).
/// </summary>
public sealed record PatternLabKnob(string Name, string Description, string ConfigurationKey, double Minimum, double Maximum,
    Func<double, string> ToSetting)
{
    /// <summary>A duration in milliseconds, written as the TimeSpan the setting expects.</summary>
    public static PatternLabKnob Milliseconds(string name, string description, string configurationKey, double maximum) =>
        new(name, description, configurationKey, 0, maximum, value =>
            TimeSpan.FromMilliseconds(value).ToString("c", CultureInfo.InvariantCulture));

    /// <summary>A percentage, written as the fraction (0..1) the setting expects.</summary>
    public static PatternLabKnob Percentage(string name, string description, string configurationKey) =>
        new(name, description, configurationKey, 0, 100, value => (value / 100).ToString(CultureInfo.InvariantCulture));
}
