using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;

namespace Practitioners.Web.Features.Studies;

/// <summary>
/// A study's people with their researcher credential. The state shown is the state as of now: an Approved member
/// whose credential lapsed an hour ago shows as Suspended before the daily sweep records it, so a roster is never
/// a day behind a credential.
/// </summary>
public sealed class StudyRoster(AppDbContext db, CredentialStanding credentials, TimeProvider clock)
{
    public static EnrolmentState Effective(EnrolmentState state, bool credentialValid, bool studyOpen) => state switch
    {
        EnrolmentState.Requested or EnrolmentState.Approved or EnrolmentState.Suspended when !studyOpen => EnrolmentState.Ended,
        EnrolmentState.Approved when !credentialValid => EnrolmentState.Suspended,
        EnrolmentState.Suspended when credentialValid => EnrolmentState.Approved,
        _ => state,
    };

    public async Task<IReadOnlyList<StudyRosterRow>> RowsAsync(Study study, CancellationToken ct)
    {
        var rows = await db.Enrolments.AsNoTracking().Where(e => e.StudyId == study.Id)
            .OrderBy(e => e.User.FullName).ThenBy(e => e.Id)
            .Select(e => new { e.Id, e.UserId, e.User.FullName, e.User.Email, e.User.PhoneNumber, e.State, e.RequestedAt })
            .ToListAsync(ct);
        var held = await credentials.ForAsync(rows.Select(r => r.UserId).Distinct().ToList(), ct);
        var open = IsOpen(study);
        return rows.Select(r =>
        {
            var credential = held.GetValueOrDefault(r.UserId);
            return new StudyRosterRow(r.Id, r.UserId, r.FullName, r.Email ?? "", r.PhoneNumber,
                Effective(r.State, credential?.IsValid == true, open), r.RequestedAt, credential);
        }).ToList();
    }

    public bool IsOpen(Study study) => study.State == StudyState.Published && !study.HasEnded(clock.GetUtcNow().UtcDateTime);
}
