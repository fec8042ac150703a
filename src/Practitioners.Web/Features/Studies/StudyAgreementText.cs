using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Studies;

/// <summary>
/// Writes a study's data-use agreement from the template in content/ (agreements/study-data-use-template): the
/// version in effect, with every {{study.*}} placeholder filled in each language. A placeholder this class does not
/// know stops publishing rather than reaching a signer.
/// </summary>
public sealed partial class StudyAgreementText(AppDbContext db, IStringLocalizer<SharedResource> l)
{
    public const string TemplateId = "study-data-use-template";

    /// <summary>The agreement the study would have if it were published now; null when no template version is in effect.</summary>
    public async Task<StudyAgreement?> WriteAsync(Study study, DateTime now, CancellationToken ct)
    {
        var template = await db.AgreementVersions.AsNoTracking()
            .Where(v => v.AgreementId == TemplateId && v.EffectiveAt <= now)
            .OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct);
        if (template is null)
        {
            return null;
        }
        var lead = await db.Users.Where(u => u.Id == study.LeadUserId).Select(u => u.FullName).SingleAsync(ct);
        var ids = study.Communities.Select(c => c.CommunityId).ToList();
        var communities = await db.Communities.AsNoTracking().Where(c => ids.Contains(c.Id))
            .OrderBy(c => c.Code).Select(c => new { c.NameZh, c.NameEn }).ToListAsync(ct);
        return new StudyAgreement
        {
            TemplateId = TemplateId,
            TemplateVersion = template.Version,
            TextZh = Fill(template.TextZh, Values(study, lead, communities.Select(c => c.NameZh), Cultures.Chinese)),
            TextEn = Fill(template.TextEn, Values(study, lead, communities.Select(c => string.IsNullOrEmpty(c.NameEn) ? c.NameZh : c.NameEn), Cultures.English)),
            PublishedAt = now,
        };
    }

    private Dictionary<string, string> Values(Study study, string lead, IEnumerable<string> communities, string culture)
    {
        using var _ = Cultures.Use(culture);
        var english = culture == Cultures.English;
        string Pick(string zh, string en) => english ? (en.Length > 0 ? en : zh) : (zh.Length > 0 ? zh : en);
        var terms = Pick(study.TermsZh, study.TermsEn);
        return new Dictionary<string, string>
        {
            ["title"] = Pick(study.TitleZh, study.TitleEn),
            ["institution"] = study.Institution,
            ["lead"] = lead,
            ["ethicsApproval"] = l["Studies.Agreement.EthicsApproval", study.EthicsApprovalNumber, study.EthicsBody].Value,
            ["communities"] = string.Join(l["Studies.Agreement.ListSeparator"].Value, communities),
            ["startDate"] = study.StartDate.ToString("yyyy-MM-dd"),
            ["endDate"] = study.EndDate.ToString("yyyy-MM-dd"),
            ["terms"] = terms.Length > 0 ? terms : l["Studies.Agreement.NoTerms"].Value,
        };
    }

    /// <summary>Replaces each {{study.name}}; throws when the template asks for a value that is not given.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups["name"].Value, out var value)
            ? value
            : throw new InvalidOperationException($"The study agreement template uses an unknown placeholder {m.Value}."));

    [GeneratedRegex(@"\{\{\s*study\.(?<name>[A-Za-z]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
