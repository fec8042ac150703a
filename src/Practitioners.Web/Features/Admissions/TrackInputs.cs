using System.ComponentModel.DataAnnotations;
using Practitioners.Web.Features.Communities;

namespace Practitioners.Web.Features.Admissions;

public sealed class ChooseTrackInput
{
    [Required(ErrorMessage = "Validation.Choose")]
    [EnumDataType(typeof(RoleTrack), ErrorMessage = "Validation.Choice")]
    [Display(Name = "Field.Track")]
    public RoleTrack? Track { get; set; }

    [Required(ErrorMessage = "Validation.Choose")]
    [Display(Name = "Field.Community")]
    public int? CommunityId { get; set; }
}

public abstract class TrackProfileInput
{
    [Required(ErrorMessage = "Validation.Choose")]
    [Display(Name = "Field.Community")]
    public int? CommunityId { get; set; }
}

public sealed class VolunteerTrackInput : TrackProfileInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(100, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.School")]
    public string School { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(40, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.StudentNumber")]
    public string StudentNumber { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(100, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.Major")]
    public string Major { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [Range(1990, 2100, ErrorMessage = "Validation.Range")]
    [Display(Name = "Field.GraduationYear")]
    public int? ExpectedGraduationYear { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [DataType(DataType.Date)]
    [Display(Name = "Field.DateOfBirth")]
    public DateOnly? DateOfBirth { get; set; }
}

public sealed class ProviderTrackInput : TrackProfileInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(100, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.Organisation")]
    public string Organisation { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(100, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.Profession")]
    public string Profession { get; set; } = "";

    [Required(ErrorMessage = "Validation.Choose")]
    [EnumDataType(typeof(Employment), ErrorMessage = "Validation.Choice")]
    [Display(Name = "Field.Employment")]
    public Employment? Employment { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(100, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.LicenceType")]
    public string LicenceType { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(60, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.LicenceNumber")]
    public string LicenceNumber { get; set; } = "";
}

public sealed class ResearcherTrackInput : TrackProfileInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(100, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.Institution")]
    public string Institution { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(100, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.Position")]
    public string Position { get; set; } = "";

    [RegularExpression(@"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$", ErrorMessage = "Validation.Orcid")]
    [Display(Name = "Field.Orcid")]
    public string? Orcid { get; set; }
}

public sealed record CommunityOption(int Id, string Name, string StreetName);

public sealed record ChooseTrackViewModel(ChooseTrackInput Input, IReadOnlyList<CommunityOption> Communities, bool EmailConfirmed,
    IReadOnlyList<CommunityOption> InvitedBy);

public sealed record TrackProfileViewModel(RoleTrack Track, CommunityOption Community, TrackProfileInput Input);

public sealed record RequirementItem(string Key, bool Done);

public sealed record AdmissionSummary(int Id, RoleTrack Track, string Community, string Street, AdmissionState State,
    DateTime CreatedAt, IReadOnlyList<RequirementItem> Requirements, Agreements.AdmissionAgreement? Agreement);

public sealed record CertificateSummary(int AdmissionId, string Number, string VerificationCode, Certificates.CertificateStatus Status, DateTime ExpiresAt);

public sealed record DashboardViewModel(string FullName, bool EmailConfirmed, IReadOnlyList<AdmissionSummary> Admissions,
    IReadOnlyList<CertificateSummary> Certificates, IReadOnlyList<(int AdmissionId, long SignatureId)> Signatures);

internal static class CommunityOptions
{
    public static IQueryable<CommunityOption> ToOptions(this IQueryable<Community> communities, bool english) =>
        communities
            .OrderBy(c => c.Street.Code).ThenBy(c => c.Code)
            .Select(c => new CommunityOption(c.Id, english ? c.NameEn : c.NameZh, english ? c.Street.NameEn : c.Street.NameZh));
}
