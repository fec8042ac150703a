using System.Reflection;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Practitioners.Web.Infrastructure.Pdf;

/// <summary>
/// The one font every PDF uses: WenQuanYi Micro Hei, shipped inside the assembly (Fonts/LICENSE.txt).
/// It covers Chinese and Latin, and PDFsharp has no per-glyph fallback, so a single face for
/// everything is what keeps Chinese from silently turning into empty boxes.
/// </summary>
public static class PdfFont
{
    public const string FamilyName = "WenQuanYi Micro Hei";
    public const string ResourceName = "Practitioners.Web.Infrastructure.Pdf.Fonts.wqy-microhei.ttc";

    // Characters the documents cannot do without; a face that lacks one is refused at start-up.
    private const string Probe = "儿童友好社区从业人员证书签署证据扫码核验 Certificate 0123456789 /-:";

    private static readonly XPdfFontOptions Options = new(PdfFontEncoding.Unicode);
    private static readonly Lock Gate = new();
    private static bool installed;
    private static InvalidOperationException? failure;

    /// <summary>
    /// Loads and checks the embedded face and makes it PDFsharp's font resolver. Safe to call
    /// any number of times from any thread: PDFsharp accepts a resolver only once per process,
    /// and only before its first font operation.
    /// </summary>
    /// <exception cref="InvalidOperationException">The font is missing, unreadable, or another resolver was installed.</exception>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (installed)
            {
                return;
            }
            if (failure is not null)
            {
                throw new InvalidOperationException(failure.Message, failure);
            }

            try
            {
                var face = LoadEmbeddedFace(typeof(PdfFont).Assembly, ResourceName);
                if (GlobalFontSettings.FontResolver is { } other)
                {
                    throw new InvalidOperationException(
                        $"PDFsharp already has a font resolver ({other.GetType().FullName}); PDF fonts must be set up only through {nameof(PdfFont)}.{nameof(EnsureInstalled)}.");
                }
                GlobalFontSettings.FontResolver = new EmbeddedFontResolver(face);
                CheckGlyphs(Parse(() => new XFont(FamilyName, 12, XFontStyleEx.Regular, Options)));
                installed = true;
            }
            catch (InvalidOperationException e)
            {
                failure = e;
                throw;
            }
        }
    }

    /// <summary>Reads face 0 of the TrueType collection stored as <paramref name="resourceName"/>.</summary>
    public static byte[] LoadEmbeddedFace(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException(
                $"The PDF font is missing: embedded resource '{resourceName}' was not found in {assembly.GetName().Name}. " +
                "Certificates and agreements cannot be rendered without it (see Infrastructure/Pdf/Fonts).");
        using var buffer = new MemoryStream(checked((int)stream.Length));
        stream.CopyTo(buffer);
        try
        {
            return TrueTypeCollection.ExtractFace(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException($"The PDF font '{resourceName}' is unreadable: {e.Message}", e);
        }
    }

    /// <summary>
    /// Has PDFsharp parse <paramref name="face"/> and checks that it draws Chinese and Latin.
    /// Returns the same bytes so a caller can chain it.
    /// </summary>
    public static byte[] Validate(byte[] face)
    {
        // Parsing any font counts as PDFsharp's first font operation, after which no resolver can be set.
        EnsureInstalled();
        CheckGlyphs(Parse(() => new XFont(new XGlyphTypeface(XFontSource.GetOrCreateFrom(face)), 12, Options, null)));
        return face;
    }

    private static XFont Parse(Func<XFont> create)
    {
        try
        {
            return create();
        }
        catch (Exception e) // PDFsharp reports a broken font with whatever its parser hits: NullReference, IndexOutOfRange, InvalidOperation…
        {
            throw new InvalidOperationException($"The PDF font is unreadable: PDFsharp could not parse it as a TrueType font ({e.Message}).", e);
        }
    }

    private static void CheckGlyphs(XFont font)
    {
        var lacking = Probe.Where(c => c != ' ' && GlyphHelper.GlyphIndexFromCodePoint(c, font) == 0).Distinct().ToArray();
        if (lacking.Length > 0)
        {
            throw new InvalidOperationException(
                $"The PDF font has no glyph for '{new string(lacking)}'; documents would show empty boxes.");
        }
    }

    /// <summary>Serves the one embedded face whatever family PDFsharp asks for; bold is simulated.</summary>
    private sealed class EmbeddedFontResolver(byte[] face) : IFontResolver
    {
        private const string FaceName = "WenQuanYiMicroHei-Regular";

        public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(FaceName, (bold ? XStyleSimulations.BoldSimulation : 0) | (italic ? XStyleSimulations.ItalicSimulation : 0));

        public byte[]? GetFont(string faceName) => faceName == FaceName ? face : null;
    }
}
