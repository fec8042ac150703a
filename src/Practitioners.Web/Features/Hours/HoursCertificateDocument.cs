using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Infrastructure.Pdf;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Hours;

/// <summary>What the public verification page of a service-hours certificate shows: name, period, totals, where, issued when.</summary>
public sealed record VerifiedHoursCertificate(string Number, string HolderName, bool HolderRemoved, DateOnly From, DateOnly To, int TotalMinutes,
    int ActivityCount, int RecordCount, string CommunitiesZh, string CommunitiesEn, string StreetsZh, string StreetsEn, DateTime IssuedAt)
{
    public decimal TotalHours => Math.Round(TotalMinutes / 60m, 2);
}

/// <summary>Renders an issued service-hours certificate, and looks one up by its verification code without tracking.</summary>
public sealed class HoursCertificateDocument(AppDbContext db, IssueHoursCertificate issue, ActivityTime time, IPdfDocuments pdf, SiteLinks links)
{
    public async Task<byte[]> RenderAsync(HoursCertificate certificate, CancellationToken ct)
    {
        var name = await db.Users.Where(u => u.Id == certificate.UserId).Select(u => u.FullName).SingleAsync(ct);
        var lines = await issue.LinesOfAsync(certificate, ct);
        return pdf.HoursCertificate(new HoursCertificatePdfModel(
            name, Day(certificate.From), Day(certificate.To), certificate.TotalHours, certificate.ActivityCount, certificate.RecordCount,
            certificate.CommunitiesZh, certificate.CommunitiesEn, certificate.StreetsZh, certificate.StreetsEn, certificate.Number,
            certificate.IssuedAt, links.Absolute($"/verify/hours/{certificate.VerificationCode}"),
            lines.Select(l => new HoursPdfLine(time.Format(l.StartAt, "yyyy-MM-dd"),
                l.Kind == HoursKind.OffSite ? $"站外服务 Off-site: {l.Description}" : l.ActivityTitle ?? "", l.CommunityZh, l.Hours)).ToList()));
    }

    public async Task<VerifiedHoursCertificate?> ByCodeAsync(string? code, CancellationToken ct)
    {
        var normalised = Certificates.CertificateCodes.Normalise(code);
        if (normalised is null)
        {
            return null;
        }
        return await db.HoursCertificates.AsNoTracking().Where(c => c.VerificationCode == normalised)
            .Select(c => new VerifiedHoursCertificate(c.Number, c.User.FullName, c.User.PersonalDataRemovedAt != null, c.From, c.To, c.TotalMinutes, c.ActivityCount,
                c.RecordCount, c.CommunitiesZh, c.CommunitiesEn, c.StreetsZh, c.StreetsEn, c.IssuedAt))
            .SingleOrDefaultAsync(ct);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
