using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Certificates;

namespace Practitioners.Web.Features.Reminders;

public enum ReminderAudience
{
    /// <summary>The certificate's holder.</summary>
    Holder = 1,

    /// <summary>A manager of the certificate's community (directly or through its street).</summary>
    Manager = 2,
}

/// <summary>
/// One planned reminder: a certificate, at one offset of one expiry, for one recipient. Planned set-based and
/// unique on (certificate, expiry, offset, audience, recipient), so planning twice plans nothing new; a renewal
/// changes the expiry and so starts a fresh series. The email and the in-app notice are rendered from it later.
/// </summary>
public sealed class Reminder
{
    public long Id { get; set; }
    public int CertificateId { get; set; }
    public string RecipientId { get; set; } = "";
    public ReminderAudience Audience { get; set; }

    /// <summary>Days before expiry (negative: after it).</summary>
    public int Offset { get; set; }

    /// <summary>The expiry this reminder is about; no longer the certificate's after a renewal.</summary>
    public DateTime ExpiresAt { get; set; }

    public DateTime PlannedAt { get; set; }

    /// <summary>When its email and notification were written; null while it waits for the renderer.</summary>
    public DateTime? RenderedAt { get; set; }

    /// <summary>The outbox idempotency key: the same reminder can never be queued twice.</summary>
    public string Key => Audience == ReminderAudience.Holder
        ? $"reminder:{CertificateId}:{ExpiresAt.Ticks}:{Offset}"
        : $"reminder:{CertificateId}:{ExpiresAt.Ticks}:{Offset}:manager:{RecipientId}";
}

internal sealed class ReminderConfiguration : IEntityTypeConfiguration<Reminder>
{
    public void Configure(EntityTypeBuilder<Reminder> builder)
    {
        builder.Property(r => r.Audience).HasConversion<string>().HasMaxLength(12);
        builder.HasIndex(r => new { r.CertificateId, r.ExpiresAt, r.Offset, r.Audience, r.RecipientId }).IsUnique();
        // Only the rows still to render are indexed: the renderer's claim stays small however many were sent.
        builder.HasIndex(r => r.RenderedAt).HasFilter("\"RenderedAt\" IS NULL");
        builder.HasOne<Certificate>().WithMany().HasForeignKey(r => r.CertificateId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(r => r.RecipientId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(r => r.Key);
    }
}

/// <summary>A notice in the person's in-app notification centre, in their language when it was written.</summary>
public sealed class Notification
{
    public long Id { get; set; }
    public string UserId { get; set; } = "";
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";

    /// <summary>A path on this site, e.g. /training.</summary>
    public string Link { get; set; } = "";

    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.Property(n => n.Title).HasMaxLength(300);
        builder.Property(n => n.Body).HasMaxLength(2000);
        builder.Property(n => n.Link).HasMaxLength(300);
        builder.HasIndex(n => new { n.UserId, n.ReadAt });
        builder.HasIndex(n => new { n.UserId, n.CreatedAt });
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
