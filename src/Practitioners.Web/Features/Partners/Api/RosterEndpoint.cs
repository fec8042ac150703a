using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Partners.Api;

/// <summary>GET /api/v1/communities/{id}/roster: the people of one of the client's communities, a page at a time.</summary>
public static class RosterEndpoint
{
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapRoster(this RouteGroupBuilder group)
    {
        group.MapGet("/communities/{id:int}/roster", ReadAsync)
            .RequireAuthorization(PartnerPolicies.RosterRead)
            .WithName("GetCommunityRoster")
            .WithSummary("Read a community's roster")
            .WithDescription("The people admitted to the community, by name, with their admission state and certificate. " +
                "Scope: roster.read; only the communities the client is bound to.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return group;
    }

    private static async Task<Results<Ok<RosterPageDto>, ProblemHttpResult>> ReadAsync(
        int id, HttpContext http, AppDbContext db, IOptions<CredentialSettings> settings, TimeProvider clock, CancellationToken ct,
        int page = 1, int pageSize = 50)
    {
        if (page < 1 || pageSize < 1 || pageSize > MaxPageSize)
        {
            return PartnerApi.Problem(StatusCodes.Status400BadRequest, "bad-page", "Bad page",
                $"page starts at 1; pageSize is between 1 and {MaxPageSize}.");
        }
        var client = http.ClientId();
        // An unknown community and someone else's community get the same answer.
        if (!await db.PartnerClientCommunities.AnyAsync(p => p.ClientId == client && p.CommunityId == id, ct))
        {
            http.Items[Audit.DenialAudit.ApiDenialReason] = "community-not-granted";
            return PartnerApi.Problem(StatusCodes.Status403Forbidden, "community-not-granted", "Not your community",
                "This client is not bound to that community.");
        }

        var admissions = db.Admissions.AsNoTracking().Where(a => a.CommunityId == id);
        var total = await admissions.CountAsync(ct);
        var rows = await admissions
            .OrderBy(a => a.User.FullName).ThenBy(a => a.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(a => new
            {
                a.User.FullName,
                a.Track,
                a.State,
                Certificate = db.Certificates.Where(c => c.AdmissionId == a.Id)
                    .Select(c => new { c.Number, c.ExpiresAt, c.SuspendedAt, c.RevokedAt }).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var items = rows.Select(r => new RosterEntryDto(
            r.FullName,
            CredentialDto.Word(r.Track),
            CredentialDto.Word(r.State),
            r.Certificate is not { } c ? null : new RosterCertificateDto(
                c.Number,
                CredentialDto.Word(Certificate.Status(c.ExpiresAt, c.SuspendedAt, c.RevokedAt, now, settings.Value.For(r.Track).RenewalWindow)),
                c.ExpiresAt))).ToList();
        http.Response.NeverStore();
        return TypedResults.Ok(new RosterPageDto(id, page, pageSize, total, items));
    }
}

public sealed record RosterPageDto(int CommunityId, int Page, int PageSize, int Total, IReadOnlyList<RosterEntryDto> Items);

/// <summary>One admission: a person in one role in the community.</summary>
public sealed record RosterEntryDto(string Name, string Track, string Admission, RosterCertificateDto? Certificate);

public sealed record RosterCertificateDto(string Number, string Status, DateTime ExpiresAt);
