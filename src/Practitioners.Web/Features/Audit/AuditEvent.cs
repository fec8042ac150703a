using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Data;

namespace Practitioners.Web.Features.Audit;

/// <summary>Append-only record of a state change or a verification: who, what, when (UTC), from where.</summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string? ActorUserId { get; set; }
    public string Action { get; set; } = "";
    public string SubjectType { get; set; } = "";
    public string SubjectId { get; set; } = "";
    public string? Data { get; set; }
    public string? IpAddress { get; set; }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.SubjectType).HasMaxLength(64);
        builder.Property(e => e.SubjectId).HasMaxLength(64);
        builder.Property(e => e.IpAddress).HasMaxLength(64);
        builder.HasIndex(e => new { e.SubjectType, e.SubjectId, e.At });
        builder.HasIndex(e => e.At);
    }
}

/// <summary>Adds audit events to the caller's unit of work, so the event commits with the change it records.</summary>
public sealed class AuditLog(AppDbContext db, TimeProvider clock, IHttpContextAccessor http)
{
    public void Record(string action, string subjectType, string subjectId, string? actorUserId, object? data = null)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetUtcNow().UtcDateTime,
            ActorUserId = actorUserId,
            Action = action,
            SubjectType = subjectType,
            SubjectId = subjectId,
            Data = data is null ? null : JsonSerializer.Serialize(data),
            IpAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
        });
    }
}
