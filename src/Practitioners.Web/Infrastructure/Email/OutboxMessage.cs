using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Practitioners.Web.Infrastructure.Email;

public enum OutboxState
{
    /// <summary>Waiting for its due time.</summary>
    Pending = 1,

    /// <summary>Claimed by a sender; if the sender dies, the lease runs out and the message is Pending again.</summary>
    Sending = 2,

    /// <summary>The SMTP server accepted it (or, with no server configured, the pickup copy was written).</summary>
    Sent = 3,

    /// <summary>Refused for good (5xx) or out of attempts; an admin may retry it.</summary>
    Dead = 4,

    /// <summary>A reminder whose certificate was renewed, suspended or revoked before it went out.</summary>
    Cancelled = 5,
}

/// <summary>
/// One email, written in the same transaction as the change it reports and delivered later by <see cref="SendOutbox"/>.
/// The idempotency key makes writing it twice impossible; the Message-ID derived from the key makes a resend
/// after a crash recognisable as the same message.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public string IdempotencyKey { get; set; } = "";
    public string To { get; set; } = "";
    public string ToName { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Html { get; set; } = "";
    public string Text { get; set; } = "";
    public string Culture { get; set; } = "";

    /// <summary>What kind of email: "email" (account, agreement, certificate news), "reminder", "digest".</summary>
    public string Kind { get; set; } = OutboxKinds.Email;

    public DateTime CreatedAt { get; set; }
    public DateTime DueAt { get; set; }
    public int Attempts { get; set; }
    public OutboxState State { get; set; } = OutboxState.Pending;
    public string? LastError { get; set; }
    public DateTime? SentAt { get; set; }
    public string MessageId { get; set; } = "";

    /// <summary>When the current sender claimed it, for the lease.</summary>
    public DateTime? ClaimedAt { get; set; }

    /// <summary>Which claim took it, so a sender only marks the rows it claimed.</summary>
    public long? ClaimToken { get; set; }

    /// <summary>The planned reminder this message tells of, so renewal or revocation can cancel it.</summary>
    public long? ReminderId { get; set; }

    public static OutboxMessage Create(string key, EmailMessage message, string culture, string kind, DateTime now) => new()
    {
        IdempotencyKey = key,
        To = message.To,
        ToName = message.ToName,
        Subject = message.Subject,
        Html = message.HtmlBody,
        Text = message.TextBody,
        Culture = culture,
        Kind = kind,
        CreatedAt = now,
        DueAt = now,
        MessageId = MessageIdFor(key),
    };

    /// <summary>The same key always gives the same Message-ID, so a receiver can drop a resent copy.</summary>
    public static string MessageIdFor(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))) + "@practitioners";
}

public static class OutboxKinds
{
    public const string Email = "email";
    public const string Reminder = "reminder";
    public const string Digest = "digest";
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.Property(m => m.IdempotencyKey).HasMaxLength(200);
        builder.Property(m => m.To).HasMaxLength(256);
        builder.Property(m => m.ToName).HasMaxLength(200);
        builder.Property(m => m.Subject).HasMaxLength(300);
        builder.Property(m => m.Culture).HasMaxLength(10);
        builder.Property(m => m.Kind).HasMaxLength(20);
        builder.Property(m => m.State).HasConversion<string>().HasMaxLength(12);
        builder.Property(m => m.LastError).HasMaxLength(1000);
        builder.Property(m => m.MessageId).HasMaxLength(100);
        builder.HasIndex(m => m.IdempotencyKey).IsUnique();
        // The sender's claim and the lease sweep are ranges on this index.
        builder.HasIndex(m => new { m.State, m.DueAt });
        builder.HasIndex(m => m.ClaimToken);
        builder.HasIndex(m => m.ReminderId);
    }
}
