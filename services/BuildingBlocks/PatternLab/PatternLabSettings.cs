using Microsoft.Extensions.Configuration;

namespace MsaShop.PatternLab;

/// <summary>
/// The configuration source the pattern lab writes to: added last, so its values win over every other source, and
/// each change is announced as a reload, so options read through IOptionsMonitor see it at once.
/// </summary>
internal sealed class PatternLabSettings : ConfigurationProvider, IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public void Turn(string key, string value)
    {
        Data[key] = value;
        OnReload();
    }

    public void Reset()
    {
        Data.Clear();
        OnReload();
    }

    public string? Override(string key) => Data.TryGetValue(key, out var value) ? value : null;
}
