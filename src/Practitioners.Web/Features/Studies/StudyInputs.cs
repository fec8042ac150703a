using System.ComponentModel.DataAnnotations;

namespace Practitioners.Web.Features.Studies;

public sealed class StudyInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(200, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Studies.Field.TitleZh")]
    public string TitleZh { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(200, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Studies.Field.TitleEn")]
    public string TitleEn { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(2000, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Studies.Field.SummaryZh")]
    public string SummaryZh { get; set; } = "";

    [StringLength(2000, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Studies.Field.SummaryEn")]
    public string? SummaryEn { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(200, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Studies.Field.Institution")]
    public string Institution { get; set; } = "";

    [Required(ErrorMessage = "Studies.EthicsNumberRequired")]
    [StringLength(100, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Studies.Field.EthicsNumber")]
    public string EthicsApprovalNumber { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(200, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Studies.Field.EthicsBody")]
    public string EthicsBody { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Studies.Field.StartDate")]
    public DateOnly? StartDate { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Studies.Field.EndDate")]
    public DateOnly? EndDate { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [Range(1, 500, ErrorMessage = "Validation.Range")]
    [Display(Name = "Studies.Field.MaxTeamSize")]
    public int? MaxTeamSize { get; set; }

    [StringLength(4000, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Studies.Field.TermsZh")]
    public string? TermsZh { get; set; }

    [StringLength(4000, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Studies.Field.TermsEn")]
    public string? TermsEn { get; set; }

    [Display(Name = "Studies.Field.Communities")]
    public List<int> Communities { get; set; } = [];

    /// <summary>Asked of admins only: whose study it is.</summary>
    [EmailAddress(ErrorMessage = "Validation.Email")]
    [StringLength(256, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Studies.Field.LeadEmail")]
    public string? LeadEmail { get; set; }

    public StudyDetails ToDetails() => new(TitleZh, TitleEn, SummaryZh, SummaryEn ?? "", Institution, EthicsApprovalNumber, EthicsBody,
        StartDate!.Value, EndDate!.Value, MaxTeamSize!.Value, TermsZh ?? "", TermsEn ?? "", Communities);

    public static StudyInput From(Study s, string? leadEmail) => new()
    {
        TitleZh = s.TitleZh, TitleEn = s.TitleEn, SummaryZh = s.SummaryZh, SummaryEn = s.SummaryEn, Institution = s.Institution,
        EthicsApprovalNumber = s.EthicsApprovalNumber, EthicsBody = s.EthicsBody, StartDate = s.StartDate, EndDate = s.EndDate,
        MaxTeamSize = s.MaxTeamSize, TermsZh = s.TermsZh, TermsEn = s.TermsEn, Communities = s.Communities.Select(c => c.CommunityId).ToList(),
        LeadEmail = leadEmail,
    };
}

/// <summary>Signing a study's data-use agreement: the shared e-signature fields.</summary>
public sealed class JoinInput : Agreements.SignatureInput;

public sealed class DecisionInput
{
    public bool Approve { get; set; }

    [StringLength(500, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.Reason")]
    public string? Reason { get; set; }
}

public sealed record CommunityChoice(int Id, string Name, string Street);

public sealed record StudyFormViewModel(int? StudyId, StudyInput Input, IReadOnlyList<CommunityChoice> Communities, bool AskLead);

public sealed record StudyListItem(int Id, string Title, string Institution, DateOnly StartDate, DateOnly EndDate, StudyState State,
    int Requests, int Team, int MaxTeamSize, bool Ended);

public sealed record ConsentItem(int StudyId, string Title, string Institution, int CommunityId, string Community, DateOnly StartDate, DateOnly EndDate);

public sealed record MyEnrolmentItem(int StudyId, int EnrolmentId, string Title, EnrolmentState State, DateOnly EndDate);

public sealed record StudiesIndexViewModel(bool CanCreate, bool IsResearcher, ResearcherCredential? Credential, IReadOnlyList<StudyListItem> Leading,
    IReadOnlyList<ConsentItem> AwaitingConsent, IReadOnlyList<MyEnrolmentItem> Mine, IReadOnlyList<StudyListItem> Open);

public sealed record CommunityConsentView(int Id, string Code, string Name, ConsentState Consent, string? Reason, DateTime? DecidedAt, bool CanDecide);

/// <summary>A study agreement as shown to a signer: the exact text's hash goes back with the form.</summary>
public sealed record StudyAgreementView(string Language, string TextHash, string Html, int TemplateVersion, bool Preview);

public sealed record StudyViewModel(Study Study, string LeadName, IReadOnlyList<CommunityConsentView> Communities, bool Leads, bool CanSeeRoster,
    RequestOutcome? Gate, MyEnrolmentItem? Mine, StudyAgreementView? Agreement, int Team, int Requests, bool Ended);

public sealed record JoinViewModel(int StudyId, string Title, StudyAgreementView Agreement, string ExpectedName, JoinInput Input);

public sealed record StudyRosterRow(int EnrolmentId, string UserId, string Name, string Email, string? Phone, EnrolmentState State,
    DateTime RequestedAt, ResearcherCredential? Credential);

public sealed record StudyRosterViewModel(int StudyId, string Title, bool Leads, string LeadName, ResearcherCredential? LeadCredential,
    int MaxTeamSize, IReadOnlyList<StudyRosterRow> Rows);

public sealed record PublicStudy(string Title, string Summary, string Institution, string EthicsApprovalNumber, string EthicsBody,
    DateOnly StartDate, DateOnly EndDate, string Lead);

public sealed record CommunityStudiesViewModel(string Code, string Community, string Street, IReadOnlyList<PublicStudy> Current, IReadOnlyList<PublicStudy> Past);

public sealed record StudyRosterTable(string Id, string Heading, IReadOnlyList<StudyRosterRow> Rows, int StudyId, bool Leads);
