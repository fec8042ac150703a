using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Training;

/// <summary>A module as the site knows it: its published versions and which one learners take now.</summary>
public sealed class TrainingModule
{
    public string Id { get; set; } = "";
    public int CurrentVersion { get; set; }

    /// <summary>Why the files in content/ were not published (shown to training admins); null when they were.</summary>
    public string? HeldBackReason { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>One published version of a module. Never changed once written: a new version is a new row.</summary>
public sealed class ModuleVersion
{
    public string ModuleId { get; set; } = "";
    public int Version { get; set; }
    public string TitleZh { get; set; } = "";
    public string TitleEn { get; set; } = "";
    public string SummaryZh { get; set; } = "";
    public string SummaryEn { get; set; } = "";
    public string Roles { get; set; } = "";
    public int EstimatedMinutes { get; set; }
    public int PassMarkPercent { get; set; }
    public int QuestionsPerAttempt { get; set; }
    public int MaxAttempts { get; set; }
    public int CooldownMinutes { get; set; }
    public bool Refresher { get; set; }
    public int LessonCount { get; set; }
    public string ContentHash { get; set; } = "";

    /// <summary>Lessons and question bank as JSON (see <see cref="ModuleBody"/>).</summary>
    public string Body { get; set; } = "";

    public DateTime PublishedAt { get; set; }

    public string Title => Cultures.Pick(TitleZh, TitleEn);
}

public enum PathKind
{
    Initial = 1,
    Refresher = 2,
}

/// <summary>One module of a learning path, in order. Paths are configuration and are replaced on each sync.</summary>
public sealed class LearningPathEntry
{
    public int Id { get; set; }
    public string CredentialType { get; set; } = "";
    public PathKind Kind { get; set; }
    public int Position { get; set; }
    public string ModuleId { get; set; } = "";
}

/// <summary>A lesson marked as read. Insert-only.</summary>
public sealed class LessonRead
{
    public string UserId { get; set; } = "";
    public string ModuleId { get; set; } = "";
    public int Version { get; set; }
    public int LessonNumber { get; set; }
    public DateTime ReadAt { get; set; }
}

/// <summary>One try at a module's quiz: the questions drawn and their option order, then the graded answers.</summary>
public sealed class QuizAttempt
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public string ModuleId { get; set; } = "";
    public int Version { get; set; }
    public DateTime StartedAt { get; set; }

    /// <summary>JSON: the drawn questions with their shuffled option ids (see <see cref="QuizDraw"/>).</summary>
    public string Drawn { get; set; } = "";

    public DateTime? SubmittedAt { get; set; }

    /// <summary>JSON: question id → chosen option ids.</summary>
    public string? Answers { get; set; }

    public int? Score { get; set; }
    public bool? Passed { get; set; }
}

/// <summary>A passed module: id, version, score and time. Never rewritten when a new version is published.</summary>
public sealed class ModuleCompletion
{
    public long Id { get; set; }
    public string UserId { get; set; } = "";
    public string ModuleId { get; set; } = "";
    public int Version { get; set; }
    public int Score { get; set; }
    public DateTime CompletedAt { get; set; }
    public Guid AttemptId { get; set; }
}

/// <summary>A training admin's grant of a fresh round of attempts after a learner used them all.</summary>
public sealed class AttemptReset
{
    public long Id { get; set; }
    public string UserId { get; set; } = "";
    public string ModuleId { get; set; } = "";
    public int Version { get; set; }
    public DateTime At { get; set; }
    public string ByUserId { get; set; } = "";
}

internal sealed class TrainingModuleConfiguration : IEntityTypeConfiguration<TrainingModule>
{
    public void Configure(EntityTypeBuilder<TrainingModule> builder)
    {
        builder.Property(m => m.Id).HasMaxLength(80);
        builder.Property(m => m.HeldBackReason).HasMaxLength(4000);
    }
}

internal sealed class ModuleVersionConfiguration : IEntityTypeConfiguration<ModuleVersion>
{
    public void Configure(EntityTypeBuilder<ModuleVersion> builder)
    {
        builder.HasKey(v => new { v.ModuleId, v.Version });
        builder.HasOne<TrainingModule>().WithMany().HasForeignKey(v => v.ModuleId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(v => v.ModuleId).HasMaxLength(80);
        builder.Property(v => v.TitleZh).HasMaxLength(200);
        builder.Property(v => v.TitleEn).HasMaxLength(200);
        builder.Property(v => v.SummaryZh).HasMaxLength(1000);
        builder.Property(v => v.SummaryEn).HasMaxLength(1000);
        builder.Property(v => v.Roles).HasMaxLength(100);
        builder.Property(v => v.ContentHash).HasMaxLength(64);
        builder.Ignore(v => v.Title);
    }
}

internal sealed class LearningPathEntryConfiguration : IEntityTypeConfiguration<LearningPathEntry>
{
    public void Configure(EntityTypeBuilder<LearningPathEntry> builder)
    {
        builder.Property(p => p.CredentialType).HasMaxLength(1);
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.ModuleId).HasMaxLength(80);
        builder.HasIndex(p => new { p.CredentialType, p.Kind, p.Position }).IsUnique();
        builder.HasOne<TrainingModule>().WithMany().HasForeignKey(p => p.ModuleId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LessonReadConfiguration : IEntityTypeConfiguration<LessonRead>
{
    public void Configure(EntityTypeBuilder<LessonRead> builder)
    {
        builder.HasKey(r => new { r.UserId, r.ModuleId, r.Version, r.LessonNumber });
        builder.Property(r => r.ModuleId).HasMaxLength(80);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ModuleVersion>().WithMany().HasForeignKey(r => new { r.ModuleId, r.Version }).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class QuizAttemptConfiguration : IEntityTypeConfiguration<QuizAttempt>
{
    public void Configure(EntityTypeBuilder<QuizAttempt> builder)
    {
        builder.Property(a => a.ModuleId).HasMaxLength(80);
        builder.HasIndex(a => new { a.UserId, a.ModuleId, a.Version, a.StartedAt });
        builder.HasIndex(a => new { a.ModuleId, a.Version, a.SubmittedAt });
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ModuleVersion>().WithMany().HasForeignKey(a => new { a.ModuleId, a.Version }).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ModuleCompletionConfiguration : IEntityTypeConfiguration<ModuleCompletion>
{
    public void Configure(EntityTypeBuilder<ModuleCompletion> builder)
    {
        builder.Property(c => c.ModuleId).HasMaxLength(80);
        // One completion per person and module version: a replayed pass cannot add a second.
        builder.HasIndex(c => new { c.UserId, c.ModuleId, c.Version }).IsUnique();
        builder.HasIndex(c => new { c.ModuleId, c.Version });
        builder.HasIndex(c => c.AttemptId).IsUnique();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ModuleVersion>().WithMany().HasForeignKey(c => new { c.ModuleId, c.Version }).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AttemptResetConfiguration : IEntityTypeConfiguration<AttemptReset>
{
    public void Configure(EntityTypeBuilder<AttemptReset> builder)
    {
        builder.Property(r => r.ModuleId).HasMaxLength(80);
        builder.HasIndex(r => new { r.UserId, r.ModuleId, r.Version });
    }
}
