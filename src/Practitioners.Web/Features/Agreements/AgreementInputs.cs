using System.ComponentModel.DataAnnotations;

namespace Practitioners.Web.Features.Agreements;

/// <summary>What every e-signature form posts: the text shown (language and hash), the typed name and the consent box.</summary>
public abstract class SignatureInput
{
    [Required]
    public string Language { get; set; } = "";

    [Required]
    public string TextHash { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(100, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.TypedName")]
    public string TypedName { get; set; } = "";

    [Range(typeof(bool), "true", "true", ErrorMessage = "Agreements.ConsentRequired")]
    [Display(Name = "Field.Consent")]
    public bool Consent { get; set; }
}

/// <summary>An agreement signature: also the version shown, and the guardian's details for a minor.</summary>
public sealed class SignInput : SignatureInput
{
    public int Version { get; set; }

    [StringLength(100, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.GuardianName")]
    public string? GuardianName { get; set; }

    [StringLength(40, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.GuardianRelation")]
    public string? GuardianRelation { get; set; }

    [EmailAddress(ErrorMessage = "Validation.Email")]
    [StringLength(256, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.GuardianEmail")]
    public string? GuardianEmail { get; set; }
}

public sealed class CountersignInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(100, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.TypedName")]
    public string TypedName { get; set; } = "";

    public bool Approve { get; set; }

    [StringLength(500, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.Reason")]
    public string? Reason { get; set; }
}

public sealed record AgreementTextView(string AgreementId, string Title, int Version, string Language, string TextHash, string Html, string? Changes);

public sealed record SignViewModel(int AdmissionId, string Community, AgreementTextView Text, bool NeedsGuardian, bool NeedsCountersignature,
    string ExpectedName, SignInput Input);

public sealed record GuardianViewModel(string Token, string HolderName, string GuardianName, AgreementTextView Text, SignInput Input);
