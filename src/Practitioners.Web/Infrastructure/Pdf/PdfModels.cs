namespace Practitioners.Web.Infrastructure.Pdf;

/// <summary>What a certificate shows. Dates are UTC and printed as yyyy-MM-dd.</summary>
public sealed record CertificatePdfModel(
    string HolderName,
    string CredentialZh,
    string CredentialEn,
    string CommunityZh,
    string CommunityEn,
    string StreetZh,
    string StreetEn,
    string Number,
    DateTime IssuedAtUtc,
    DateTime ExpiresAtUtc,
    string VerifyUrl);

/// <summary>A signed agreement: the exact Markdown text signed, in <paramref name="Language"/> ("zh-CN" or "en"), and the evidence of signing.</summary>
public sealed record AgreementPdfModel(
    string TitleZh,
    string TitleEn,
    string Language,
    string Text,
    IReadOnlyList<(string Label, string Value)> Evidence);

/// <summary>The seam between the site and PDF rendering. Implementations are thread-safe.</summary>
public interface IPdfDocuments
{
    byte[] Certificate(CertificatePdfModel model);

    byte[] Agreement(AgreementPdfModel model);
}
