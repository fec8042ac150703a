using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Training.Content;

namespace Practitioners.Web.Features.Agreements;

/// <summary>
/// Publishes agreements from content/. A new version becomes a new row; a published version's text is never
/// replaced: if the files of a published version change, the change is refused and reported.
/// </summary>
public sealed class AgreementSync(AppDbContext db, TimeProvider clock, ILogger<AgreementSync> logger)
{
    public async Task<IReadOnlyList<ContentProblem>> RunAsync(ContentReadResult read, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var problems = new List<ContentProblem>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var agreements = await db.Agreements.ToDictionaryAsync(a => a.Id, ct);
        var published = await db.AgreementVersions.AsNoTracking()
            .Select(v => new { v.AgreementId, v.Version, v.TextZh, v.TextEn })
            .ToDictionaryAsync(v => (v.AgreementId, v.Version), ct);

        foreach (var content in read.Content.Agreements)
        {
            if (!agreements.TryGetValue(content.Id, out var agreement))
            {
                agreement = new Agreement { Id = content.Id };
                db.Agreements.Add(agreement);
            }
            agreement.TitleZh = content.Title.Zh;
            agreement.TitleEn = content.Title.En;
            agreement.Roles = string.Join(",", content.Roles);
            agreement.Countersignature = content.Countersignature;
            agreement.GuardianConsentUnderAge = content.GuardianConsentUnderAge;
            agreement.ReacceptanceMonths = content.ReacceptanceMonths;
            agreement.Template = content.Template;
            agreement.UpdatedAt = now;

            foreach (var version in content.Versions)
            {
                if (published.TryGetValue((content.Id, version.Version), out var existing))
                {
                    if (AgreementRules.Hash(existing.TextZh) != AgreementRules.Hash(version.Text.Zh)
                        || AgreementRules.Hash(existing.TextEn) != AgreementRules.Hash(version.Text.En))
                    {
                        problems.Add(new ContentProblem($"agreements/{content.Id}/agreement.yaml", 1,
                            $"the text of version {version.Version} changed after it was published; add a new version instead"));
                    }
                    continue;
                }
                db.AgreementVersions.Add(new AgreementVersion
                {
                    AgreementId = content.Id,
                    Version = version.Version,
                    EffectiveAt = version.Effective.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                    Material = version.Material,
                    ChangesZh = version.Changes.Zh,
                    ChangesEn = version.Changes.En,
                    TextZh = version.Text.Zh,
                    TextEn = version.Text.En,
                    PublishedAt = now,
                });
                logger.LogInformation("Published agreement {Agreement} version {Version}", content.Id, version.Version);
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        foreach (var problem in problems)
        {
            logger.LogWarning("Content problem: {Problem}", problem.ToString());
        }
        return problems;
    }
}
