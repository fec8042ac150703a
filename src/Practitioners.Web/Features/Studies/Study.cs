using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Communities;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Studies;

public enum StudyState
{
    /// <summary>The lead is still writing it; only the lead and admins see it, and it can be edited.</summary>
    Draft = 1,

    /// <summary>Its data-use agreement is fixed; communities are asked for consent; nothing about it changes any more.</summary>
    Published = 2,

    /// <summary>Stopped by the lead or an admin; every enrolment ended with it.</summary>
    Withdrawn = 3,
}

public enum ConsentState
{
    Pending = 1,
    Approved = 2,
    Declined = 3,
}

/// <summary>What the lead writes about a study; the same for creating and for editing a draft.</summary>
public sealed record StudyDetails(
    string TitleZh, string TitleEn, string SummaryZh, string SummaryEn, string Institution, string EthicsApprovalNumber, string EthicsBody,
    DateOnly StartDate, DateOnly EndDate, int MaxTeamSize, string TermsZh, string TermsEn, IReadOnlyList<int> CommunityIds);

/// <summary>
/// A research study that runs in one or more communities. Its period is in whole UTC days: it is open through its
/// end date and has ended from the next day. Once published, its details and its agreement are fixed.
/// </summary>
public sealed class Study
{
    public int Id { get; private set; }
    public string TitleZh { get; private set; } = "";
    public string TitleEn { get; private set; } = "";
    public string SummaryZh { get; private set; } = "";
    public string SummaryEn { get; private set; } = "";
    public string LeadUserId { get; private set; } = "";
    public ApplicationUser Lead { get; private set; } = null!;
    public string CreatedByUserId { get; private set; } = "";
    public string Institution { get; private set; } = "";
    public string EthicsApprovalNumber { get; private set; } = "";
    public string EthicsBody { get; private set; } = "";
    public DateOnly StartDate { get; private set; }
    public DateOnly EndDate { get; private set; }

    /// <summary>How many researchers besides the lead may be on the team (approved or suspended) at once.</summary>
    public int MaxTeamSize { get; private set; }

    /// <summary>Study-specific terms, written into section 9 of the data-use agreement.</summary>
    public string TermsZh { get; private set; } = "";

    public string TermsEn { get; private set; } = "";
    public StudyState State { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public DateTime? PublishedAt { get; private set; }
    public DateTime? WithdrawnAt { get; private set; }
    public string? WithdrawReason { get; private set; }
    public List<StudyCommunity> Communities { get; private set; } = [];
    public StudyAgreement? Agreement { get; private set; }

    private Study()
    {
    }

    public string Title => Cultures.Pick(TitleZh, TitleEn);

    public string Summary => Cultures.Pick(SummaryZh, SummaryEn);

    /// <summary>The first moment the study has ended: midnight (UTC) after its end date.</summary>
    public DateTime EndsAt => EndDate.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public bool HasEnded(DateTime now) => now >= EndsAt;

    public static Study Create(StudyDetails details, string leadUserId, string createdByUserId, DateTime now)
    {
        var study = new Study
        {
            LeadUserId = leadUserId,
            CreatedByUserId = createdByUserId,
            State = StudyState.Draft,
            CreatedAt = now,
        };
        study.Apply(details, now);
        return study;
    }

    public void Edit(StudyDetails details, DateTime now)
    {
        if (State != StudyState.Draft)
        {
            throw new InvalidOperationException("Only a draft study can be edited.");
        }
        Apply(details, now);
    }

    /// <summary>Fixes the agreement and asks every listed community for consent.</summary>
    public void Publish(StudyAgreement agreement, DateTime now)
    {
        if (State != StudyState.Draft)
        {
            throw new InvalidOperationException("Only a draft study can be published.");
        }
        if (HasEnded(now))
        {
            throw new InvalidOperationException("A study that has already ended cannot be published.");
        }
        Agreement = agreement;
        State = StudyState.Published;
        PublishedAt = now;
        UpdatedAt = now;
    }

    public void Withdraw(string reason, DateTime now)
    {
        if (State == StudyState.Withdrawn)
        {
            throw new InvalidOperationException("The study is already withdrawn.");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A reason is required.", nameof(reason));
        }
        State = StudyState.Withdrawn;
        WithdrawnAt = now;
        WithdrawReason = reason.Trim();
        UpdatedAt = now;
    }

    /// <summary>Researchers may ask to join a published study that has not ended and that at least one community approved.</summary>
    public bool AcceptsRequests(DateTime now) =>
        State == StudyState.Published && !HasEnded(now) && Communities.Any(c => c.Consent == ConsentState.Approved);

    private void Apply(StudyDetails d, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(d.EthicsApprovalNumber))
        {
            throw new ArgumentException("An ethics approval number is required.", nameof(d));
        }
        if (d.EndDate < d.StartDate)
        {
            throw new ArgumentException("A study cannot end before it starts.", nameof(d));
        }
        if (d.MaxTeamSize < 1)
        {
            throw new ArgumentException("The team needs room for at least one researcher.", nameof(d));
        }
        if (d.CommunityIds.Count == 0)
        {
            throw new ArgumentException("A study runs in at least one community.", nameof(d));
        }
        TitleZh = d.TitleZh.Trim();
        TitleEn = d.TitleEn.Trim();
        SummaryZh = d.SummaryZh.Trim();
        SummaryEn = d.SummaryEn.Trim();
        Institution = d.Institution.Trim();
        EthicsApprovalNumber = d.EthicsApprovalNumber.Trim();
        EthicsBody = d.EthicsBody.Trim();
        StartDate = d.StartDate;
        EndDate = d.EndDate;
        MaxTeamSize = d.MaxTeamSize;
        TermsZh = d.TermsZh.Trim();
        TermsEn = d.TermsEn.Trim();
        Communities.RemoveAll(c => !d.CommunityIds.Contains(c.CommunityId));
        foreach (var id in d.CommunityIds.Distinct().Where(id => Communities.All(c => c.CommunityId != id)))
        {
            Communities.Add(new StudyCommunity { CommunityId = id });
        }
        UpdatedAt = now;
    }
}

/// <summary>One community where a study runs, and that community's decision on it.</summary>
public sealed class StudyCommunity
{
    public int StudyId { get; set; }
    public int CommunityId { get; set; }
    public Community Community { get; set; } = null!;
    public ConsentState Consent { get; private set; } = ConsentState.Pending;
    public string? DecidedByUserId { get; private set; }
    public DateTime? DecidedAt { get; private set; }
    public string? Reason { get; private set; }

    /// <summary>A manager's decision for their community; a decline needs a reason, and a decision is final.</summary>
    public void Decide(bool approve, string? reason, string byUserId, DateTime now)
    {
        if (Consent != ConsentState.Pending)
        {
            throw new InvalidOperationException("The community has already decided.");
        }
        if (!approve && string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A reason is required to decline.", nameof(reason));
        }
        Consent = approve ? ConsentState.Approved : ConsentState.Declined;
        Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        DecidedByUserId = byUserId;
        DecidedAt = now;
    }
}

/// <summary>
/// The study's own data-use agreement: the template in content/ with the study's details filled in, fixed when the
/// study is published. Signers hash exactly this text. Append-only: the database refuses updates and deletes.
/// </summary>
public sealed class StudyAgreement
{
    public int StudyId { get; set; }
    public string TemplateId { get; set; } = "";
    public int TemplateVersion { get; set; }
    public string TextZh { get; set; } = "";
    public string TextEn { get; set; } = "";
    public DateTime PublishedAt { get; set; }

    public string Text(string culture) => culture == Cultures.English ? TextEn : TextZh;
}

internal sealed class StudyConfiguration : IEntityTypeConfiguration<Study>
{
    public void Configure(EntityTypeBuilder<Study> builder)
    {
        builder.Property(s => s.TitleZh).HasMaxLength(200);
        builder.Property(s => s.TitleEn).HasMaxLength(200);
        builder.Property(s => s.SummaryZh).HasMaxLength(2000);
        builder.Property(s => s.SummaryEn).HasMaxLength(2000);
        builder.Property(s => s.Institution).HasMaxLength(200);
        builder.Property(s => s.EthicsApprovalNumber).HasMaxLength(100);
        builder.Property(s => s.EthicsBody).HasMaxLength(200);
        builder.Property(s => s.TermsZh).HasMaxLength(4000);
        builder.Property(s => s.TermsEn).HasMaxLength(4000);
        builder.Property(s => s.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.WithdrawReason).HasMaxLength(500);
        builder.HasOne(s => s.Lead).WithMany().HasForeignKey(s => s.LeadUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(s => s.CreatedByUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(s => s.Communities).WithOne().HasForeignKey(c => c.StudyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(s => s.Agreement).WithOne().HasForeignKey<StudyAgreement>(a => a.StudyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.State, s.EndDate });
        builder.HasIndex(s => s.LeadUserId);
        builder.Ignore(s => s.Title);
        builder.Ignore(s => s.Summary);
        builder.Ignore(s => s.EndsAt);
        builder.ToTable(t => t.HasCheckConstraint("CK_Study_Period", "\"EndDate\" >= \"StartDate\""));
    }
}

internal sealed class StudyCommunityConfiguration : IEntityTypeConfiguration<StudyCommunity>
{
    public void Configure(EntityTypeBuilder<StudyCommunity> builder)
    {
        builder.HasKey(c => new { c.StudyId, c.CommunityId });
        builder.Property(c => c.Consent).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Reason).HasMaxLength(500);
        builder.HasOne(c => c.Community).WithMany().HasForeignKey(c => c.CommunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(c => c.DecidedByUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.CommunityId, c.Consent });
    }
}

internal sealed class StudyAgreementConfiguration : IEntityTypeConfiguration<StudyAgreement>
{
    public void Configure(EntityTypeBuilder<StudyAgreement> builder)
    {
        builder.HasKey(a => a.StudyId);
        builder.Property(a => a.StudyId).ValueGeneratedNever();
        builder.Property(a => a.TemplateId).HasMaxLength(80);
    }
}
