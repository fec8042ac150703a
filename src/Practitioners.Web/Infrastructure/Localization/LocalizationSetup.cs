using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Practitioners.Web.Infrastructure.Localization;

public static class LocalizationSetup
{
    public static IServiceCollection AddSiteLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<StringTable>();
        services.AddSingleton<IStringLocalizerFactory, JsonStringLocalizerFactory>();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = Cultures.Supported.Select(CultureInfo.GetCultureInfo).ToList();
            options.DefaultRequestCulture = new RequestCulture(Cultures.Default);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            // Chinese first: the language is the person's choice (a cookie, set from their profile at sign-in),
            // not the browser's, so a shared community computer shows Chinese until someone switches.
            options.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        services.AddSingleton<IConfigureOptions<MvcOptions>, LocalizedModelBindingMessages>();
        return services;
    }

    public static string CookieValue(string culture) =>
        CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture));
}

/// <summary>Model-binding errors ("the value is invalid") in the person's language.</summary>
internal sealed class LocalizedModelBindingMessages(IStringLocalizerFactory factory) : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions options)
    {
        var l = factory.Create(typeof(SharedResource));
        var m = options.ModelBindingMessageProvider;
        m.SetAttemptedValueIsInvalidAccessor((value, field) => l["Validation.ValueInvalid", value, field]);
        m.SetMissingBindRequiredValueAccessor(field => l["Validation.Required", field]);
        m.SetMissingKeyOrValueAccessor(() => l["Validation.ValueRequired"]);
        m.SetMissingRequestBodyRequiredValueAccessor(() => l["Validation.ValueRequired"]);
        m.SetNonPropertyAttemptedValueIsInvalidAccessor(value => l["Validation.ValueInvalidNoField", value]);
        m.SetNonPropertyUnknownValueIsInvalidAccessor(() => l["Validation.ValueInvalidUnknown"]);
        m.SetNonPropertyValueMustBeANumberAccessor(() => l["Validation.MustBeNumberNoField"]);
        m.SetUnknownValueIsInvalidAccessor(field => l["Validation.ValueInvalidUnknownField", field]);
        m.SetValueIsInvalidAccessor(value => l["Validation.ValueInvalidNoField", value]);
        m.SetValueMustBeANumberAccessor(field => l["Validation.MustBeNumber", field]);
        m.SetValueMustNotBeNullAccessor(value => l["Validation.ValueRequired"]);
    }
}
