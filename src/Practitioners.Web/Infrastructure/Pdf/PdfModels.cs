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

    byte[] HoursCertificate(HoursCertificatePdfModel model);
}

/// <summary>One line of a service-hours certificate: the local day, what was done, where, and the hours.</summary>
public sealed record HoursPdfLine(string Day, string What, string CommunityZh, decimal Hours);

/// <summary>A service-hours certificate: approved hours of a period, totals, where they were served, who issues it.</summary>
public sealed record HoursCertificatePdfModel(
    string HolderName,
    string FromDay,
    string ToDay,
    decimal TotalHours,
    int ActivityCount,
    int RecordCount,
    string CommunitiesZh,
    string CommunitiesEn,
    string IssuersZh,
    string IssuersEn,
    string Number,
    DateTime IssuedAtUtc,
    string VerifyUrl,
    IReadOnlyList<HoursPdfLine> Lines);
