using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Communities;
using Practitioners.Web.Infrastructure.Csv;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Manage;

/// <summary>A community's invitation to volunteer, sent from a college volunteer association's list. The token is stored hashed.</summary>
public sealed class Invitation
{
    public Guid Id { get; set; }
    public int CommunityId { get; set; }
    public string Email { get; set; } = "";
    public string FullName { get; set; } = "";
    public string? School { get; set; }
    public string TokenHash { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public string InvitedByUserId { get; set; } = "";
    public string? AcceptedByUserId { get; set; }
    public DateTime? AcceptedAt { get; set; }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.Property(i => i.Email).HasMaxLength(256);
        builder.Property(i => i.FullName).HasMaxLength(100);
        builder.Property(i => i.School).HasMaxLength(100);
        builder.Property(i => i.TokenHash).HasMaxLength(64);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => i.AcceptedByUserId);
        builder.HasOne<Community>().WithMany().HasForeignKey(i => i.CommunityId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed record InviteRow(int Line, string Name, string Email, string? School, string? Problem);

public sealed record InviteReport(string? FileError, IReadOnlyList<InviteRow> Rows, bool Applied)
{
    public int Valid => Rows.Count(r => r.Problem is null);
}

/// <summary>
/// Reads a CSV of volunteers (name, email, school), reports every row, and sends invitations either for all
/// valid rows or — when the manager asks for all-or-nothing — only if every row is valid.
/// </summary>
public sealed class InviteVolunteers(AppDbContext db, IEmailSender sender, SiteLinks links, AuditLog audit, TimeProvider clock,
    IStringLocalizer<SharedResource> l)
{
    public const int MaxBytes = 512 * 1024;
    public const int MaxRows = 1000;
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public async Task<InviteReport> RunAsync(int communityId, string managerId, byte[] file, bool allOrNothing, CancellationToken ct)
    {
        var read = CsvReader.Read(file, MaxBytes, MaxRows);
        if (read.Problem is { } problem)
        {
            return new InviteReport(l[$"Csv.{problem}", read.ProblemLine, MaxRows, MaxBytes / 1024], [], false);
        }
        if (CsvUploads.Invitees(read.Records) is not { } invitees)
        {
            return new InviteReport(l["Invite.MissingColumns"], [], false);
        }
        var rows = invitees.Select(r => new InviteRow(r.Line, r.Name, r.Email, r.School, r.Problem switch
        {
            CsvUploads.InviteProblem.BadName => l["Invite.BadName"].Value,
            CsvUploads.InviteProblem.BadEmail => l["Invite.BadEmail"].Value,
            CsvUploads.InviteProblem.Duplicate => l["Invite.Duplicate"].Value,
            _ => null,
        })).ToList();
        if (rows.Count == 0 || (allOrNothing && rows.Any(r => r.Problem is not null)))
        {
            return new InviteReport(rows.Count == 0 ? l["Csv.Empty"].Value : null, rows, false);
        }

        var community = await db.Communities.AsNoTracking().Where(c => c.Id == communityId)
            .Select(c => new { c.NameZh, c.NameEn }).SingleAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var messages = new List<EmailMessage>();
        foreach (var row in rows.Where(r => r.Problem is null))
        {
            var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
            db.Invitations.Add(new Invitation
            {
                Id = Guid.NewGuid(), CommunityId = communityId, Email = row.Email, FullName = row.Name, School = row.School,
                TokenHash = AgreementRules.Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime, InvitedByUserId = managerId,
            });
            // Invitations go out in Chinese first with the English below: the person's language is not known yet.
            var link = links.Absolute($"/account/register?invite={token}");
            string In(string culture, string key, params object[] args)
            {
                using var _ = Cultures.Use(culture);
                return l[key, args].Value;
            }
            messages.Add(EmailComposer.Compose(row.Email, row.Name,
                $"{In(Cultures.Chinese, "Email.Invite.Subject", community.NameZh)} / {In(Cultures.English, "Email.Invite.Subject", community.NameEn)}",
                In(Cultures.Chinese, "Email.Greeting", row.Name),
                [In(Cultures.Chinese, "Email.Invite.Body", community.NameZh, (int)Lifetime.TotalDays), In(Cultures.English, "Email.Invite.Body", community.NameEn, (int)Lifetime.TotalDays)],
                $"{In(Cultures.Chinese, "Email.Invite.Action")} / {In(Cultures.English, "Email.Invite.Action")}", link,
                In(Cultures.Chinese, "Email.Signature")));
        }
        audit.Record("community.invited", "Community", communityId.ToString(), managerId, new { count = messages.Count });
        await db.SaveChangesAsync(ct);
        foreach (var message in messages)
        {
            await sender.SendAsync(message, ct);
        }
        return new InviteReport(null, rows, true);
    }

    /// <summary>An invitation that can still be used, by its token.</summary>
    public Task<Invitation?> FindOpenAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return Task.FromResult<Invitation?>(null);
        }
        var hash = AgreementRules.Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Invitations.FirstOrDefaultAsync(i => i.TokenHash == hash && i.AcceptedAt == null && i.ExpiresAt > now, ct);
    }
}
