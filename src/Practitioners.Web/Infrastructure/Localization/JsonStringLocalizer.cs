using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace Practitioners.Web.Infrastructure.Localization;

/// <summary>Marker type for the site's one table of strings.</summary>
public sealed class SharedResource;

/// <summary>
/// The site's strings, one JSON file per language embedded in the assembly (Resources/strings.{culture}.json).
/// One flat table keeps translation simple to review: a test checks that both languages have the same keys.
/// </summary>
public sealed class StringTable
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byCulture;

    public StringTable()
    {
        var assembly = typeof(StringTable).Assembly;
        var tables = new Dictionary<string, FrozenDictionary<string, string>>();
        foreach (var culture in Cultures.Supported)
        {
            var name = $"Practitioners.Web.Resources.strings.{culture}.json";
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Missing embedded resource {name}.");
            var entries = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
                ?? throw new InvalidOperationException($"Empty resource {name}.");
            tables[culture] = entries.ToFrozenDictionary(StringComparer.Ordinal);
        }
        _byCulture = tables.ToFrozenDictionary();
    }

    public IReadOnlyDictionary<string, string> For(string culture) => _byCulture[culture];

    public string? Find(string key, string culture) =>
        _byCulture[culture].TryGetValue(key, out var value) ? value : null;
}

public sealed class JsonStringLocalizer(StringTable table) : IStringLocalizer
{
    public LocalizedString this[string name]
    {
        get
        {
            var value = table.Find(name, Cultures.Current);
            return new LocalizedString(name, value ?? name, resourceNotFound: value is null);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var format = this[name];
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, format.Value, arguments), format.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        table.For(Cultures.Current).Select(kv => new LocalizedString(kv.Key, kv.Value));
}

public sealed class JsonStringLocalizerFactory(StringTable table) : IStringLocalizerFactory
{
    private readonly JsonStringLocalizer _localizer = new(table);

    public IStringLocalizer Create(Type resourceSource) => _localizer;

    public IStringLocalizer Create(string baseName, string location) => _localizer;
}
