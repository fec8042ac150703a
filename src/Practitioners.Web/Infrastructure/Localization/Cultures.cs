using System.Globalization;

namespace Practitioners.Web.Infrastructure.Localization;

public static class Cultures
{
    public const string Chinese = "zh-CN";
    public const string English = "en";
    public const string Default = Chinese;

    public static readonly IReadOnlyList<string> Supported = [Chinese, English];

    public static bool IsSupported(string? culture) => culture is Chinese or English;

    /// <summary>The supported culture closest to the current UI culture.</summary>
    public static string Current =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? English : Chinese;

    public static bool IsEnglish => Current == English;

    /// <summary>Chooses the text for the current language, falling back to the other one when empty.</summary>
    public static string Pick(string zh, string en) =>
        IsEnglish ? (string.IsNullOrEmpty(en) ? zh : en) : (string.IsNullOrEmpty(zh) ? en : zh);

    /// <summary>Runs a block in another language, e.g. to write an email in the recipient's language.</summary>
    public static IDisposable Use(string culture)
    {
        var previous = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        var info = CultureInfo.GetCultureInfo(IsSupported(culture) ? culture : Default);
        CultureInfo.CurrentCulture = info;
        CultureInfo.CurrentUICulture = info;
        return new Restore(previous.CurrentCulture, previous.CurrentUICulture);
    }

    private sealed class Restore(CultureInfo culture, CultureInfo uiCulture) : IDisposable
    {
        public void Dispose()
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }
}
