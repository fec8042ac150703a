using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Practitioners.Web.Infrastructure.Pdf;

public static class PdfSetup
{
    /// <summary>
    /// Registers <see cref="IPdfDocuments"/> and loads the embedded font now, so a missing or broken
    /// font stops start-up with a clear message instead of failing on the first certificate.
    /// </summary>
    public static WebApplicationBuilder AddPdf(this WebApplicationBuilder builder)
    {
        PdfFont.EnsureInstalled();
        builder.Services.TryAddSingleton<IPdfDocuments, PdfDocuments>();
        return builder;
    }
}
