using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Features.Accounts;

namespace Practitioners.Web.Features.Privacy;

public enum DeletionRequestState
{
    Pending = 1,
    Approved = 2,
    Rejected = 3,
}

/// <summary>
/// A person's request that their personal data be erased (PIPL right to deletion). An admin approves it, which erases
/// the data at once, or rejects it with a reason. One pending request per person.
/// </summary>
public sealed class DeletionRequest
{
    public int Id { get; private set; }
    public string UserId { get; private set; } = "";
    public ApplicationUser User { get; private set; } = null!;
    public DeletionRequestState State { get; private set; }
    public DateTime RequestedAt { get; private set; }
    public DateTime? DecidedAt { get; private set; }
    public string? DecidedByUserId { get; private set; }

    /// <summary>Why an admin rejected it; shown to the person.</summary>
    public string? Reason { get; private set; }

    private DeletionRequest()
    {
    }

    public static DeletionRequest Ask(string userId, DateTime now) =>
        new() { UserId = userId, State = DeletionRequestState.Pending, RequestedAt = now };

    public void Approve(string byUserId, DateTime now) => Decide(DeletionRequestState.Approved, byUserId, now, null);

    public void Reject(string reason, string byUserId, DateTime now) =>
        Decide(DeletionRequestState.Rejected, byUserId, now,
            string.IsNullOrWhiteSpace(reason) ? throw new ArgumentException("A reason is required.", nameof(reason)) : reason.Trim());

    private void Decide(DeletionRequestState state, string byUserId, DateTime now, string? reason)
    {
        if (State != DeletionRequestState.Pending)
        {
            throw new InvalidOperationException($"A deletion request that is {State} cannot be decided again.");
        }
        State = state;
        DecidedAt = now;
        DecidedByUserId = byUserId;
        Reason = reason;
    }
}

internal sealed class DeletionRequestConfiguration : IEntityTypeConfiguration<DeletionRequest>
{
    public void Configure(EntityTypeBuilder<DeletionRequest> builder)
    {
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(12);
        builder.Property(r => r.Reason).HasMaxLength(500);
        builder.HasOne(r => r.User).WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Restrict);
        // One pending request per person, whatever two concurrent posts try.
        builder.HasIndex(r => r.UserId).IsUnique().HasFilter("\"State\" = 'Pending'");
        builder.HasIndex(r => new { r.State, r.RequestedAt });
    }
}
