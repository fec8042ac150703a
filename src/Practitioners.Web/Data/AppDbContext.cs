using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Communities;
using Practitioners.Web.Features.Hours;
using Practitioners.Web.Features.Manage;
using Practitioners.Web.Features.Partners;
using Practitioners.Web.Features.Studies;
using Practitioners.Web.Features.Reminders;
using Practitioners.Web.Features.Training;
using Practitioners.Web.Infrastructure.Email;

namespace Practitioners.Web.Data;

/// <summary>
/// The site's one database context. Registered as itself on SQLite (its migrations are in Data/Migrations) and as
/// <see cref="PostgresAppDbContext"/> on PostgreSQL; everything else asks for <see cref="AppDbContext"/>.
/// </summary>
public class AppDbContext : IdentityDbContext<ApplicationUser>, IDataProtectionKeyContext
{
    public AppDbContext(DbContextOptions<AppDbContext> options) : base(options)
    {
    }

    protected AppDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Street> Streets => Set<Street>();
    public DbSet<Community> Communities => Set<Community>();
    public DbSet<ManagerAssignment> ManagerAssignments => Set<ManagerAssignment>();
    public DbSet<Admission> Admissions => Set<Admission>();
    public DbSet<AdmissionStateChange> AdmissionStateChanges => Set<AdmissionStateChange>();
    public DbSet<VolunteerProfile> VolunteerProfiles => Set<VolunteerProfile>();
    public DbSet<ProviderProfile> ProviderProfiles => Set<ProviderProfile>();
    public DbSet<ResearcherProfile> ResearcherProfiles => Set<ResearcherProfile>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<TrainingModule> TrainingModules => Set<TrainingModule>();
    public DbSet<ModuleVersion> ModuleVersions => Set<ModuleVersion>();
    public DbSet<LearningPathEntry> LearningPathEntries => Set<LearningPathEntry>();
    public DbSet<LessonRead> LessonReads => Set<LessonRead>();
    public DbSet<QuizAttempt> QuizAttempts => Set<QuizAttempt>();
    public DbSet<ModuleCompletion> ModuleCompletions => Set<ModuleCompletion>();
    public DbSet<AttemptReset> AttemptResets => Set<AttemptReset>();
    public DbSet<Agreement> Agreements => Set<Agreement>();
    public DbSet<AgreementVersion> AgreementVersions => Set<AgreementVersion>();
    public DbSet<Signature> Signatures => Set<Signature>();
    public DbSet<GuardianInvitation> GuardianInvitations => Set<GuardianInvitation>();
    public DbSet<Certificate> Certificates => Set<Certificate>();
    public DbSet<CertificateEvent> CertificateEvents => Set<CertificateEvent>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<CertificateExpiryCount> CertificateExpiryCounts => Set<CertificateExpiryCount>();
    public DbSet<AdmissionStateCount> AdmissionStateCounts => Set<AdmissionStateCount>();
    public DbSet<CertificateExpiryMonth> CertificateExpiryMonths => Set<CertificateExpiryMonth>();
    public DbSet<TrainingPassCount> TrainingPassCounts => Set<TrainingPassCount>();
    public DbSet<PartnerClientCommunity> PartnerClientCommunities => Set<PartnerClientCommunity>();
    public DbSet<Study> Studies => Set<Study>();
    public DbSet<StudyCommunity> StudyCommunities => Set<StudyCommunity>();
    public DbSet<StudyAgreement> StudyAgreements => Set<StudyAgreement>();
    public DbSet<StudySignature> StudySignatures => Set<StudySignature>();
    public DbSet<Enrolment> Enrolments => Set<Enrolment>();
    public DbSet<EnrolmentStateChange> EnrolmentStateChanges => Set<EnrolmentStateChange>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<Reminder> Reminders => Set<Reminder>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<SignUp> SignUps => Set<SignUp>();
    public DbSet<OrganiserDelegation> OrganiserDelegations => Set<OrganiserDelegation>();
    public DbSet<HoursRecord> HoursRecords => Set<HoursRecord>();
    public DbSet<HoursCertificate> HoursCertificates => Set<HoursCertificate>();
    public DbSet<Features.Privacy.DeletionRequest> DeletionRequests => Set<Features.Privacy.DeletionRequest>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // OpenIddict's applications, authorizations, scopes and tokens live in the same database.
        builder.UseOpenIddict();
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC. SQLite has no time zone, so the kind is restored on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}
