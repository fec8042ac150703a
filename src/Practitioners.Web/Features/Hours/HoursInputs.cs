using System.ComponentModel.DataAnnotations;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.Web.Features.Hours;

public sealed class ActivityInput
{
    [Required(ErrorMessage = "Validation.Choose")]
    [Display(Name = "Field.Community")]
    public int? CommunityId { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(200, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Hours.Field.Title")]
    public string Title { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(200, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Hours.Field.Place")]
    public string Place { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Hours.Field.Date")]
    public DateOnly? Date { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Hours.Field.StartTime")]
    public TimeOnly? StartTime { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Hours.Field.EndTime")]
    public TimeOnly? EndTime { get; set; }

    [Required(ErrorMessage = "Validation.Choose")]
    [Display(Name = "Hours.Field.RequiredTrack")]
    public RoleTrack? RequiredTrack { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [Range(1, 500, ErrorMessage = "Validation.Range")]
    [Display(Name = "Hours.Field.Capacity")]
    public int? Capacity { get; set; }

    [Display(Name = "Hours.Field.ChildrenAttend")]
    public bool ChildrenAttend { get; set; }

    [Range(1, 18, ErrorMessage = "Validation.Range")]
    [Display(Name = "Hours.Field.ChildrenUnderAge")]
    public int? ChildrenUnderAge { get; set; }
}

/// <summary>An organiser's check-in or check-out: a local time on the activity's day (HH:mm), or now when empty.</summary>
public sealed class AttendanceInput
{
    [Display(Name = "Hours.Field.Time")]
    public TimeOnly? Time { get; set; }
}

public sealed class AdjustInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Hours.Field.Date")]
    public DateOnly? Date { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Hours.Field.StartTime")]
    public TimeOnly? StartTime { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Hours.Field.EndTime")]
    public TimeOnly? EndTime { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(500, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.Reason")]
    public string Reason { get; set; } = "";
}

public sealed class OffSiteInput
{
    [Required(ErrorMessage = "Validation.Choose")]
    [Display(Name = "Field.Community")]
    public int? CommunityId { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Hours.Field.Date")]
    public DateOnly? Date { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Hours.Field.StartTime")]
    public TimeOnly? StartTime { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Hours.Field.EndTime")]
    public TimeOnly? EndTime { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(1000, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Hours.Field.Description")]
    public string Description { get; set; } = "";
}

public sealed class PeriodInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Hours.Field.From")]
    public DateOnly? From { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Hours.Field.To")]
    public DateOnly? To { get; set; }
}

public sealed class DelegateInput
{
    [Required(ErrorMessage = "Validation.Choose")]
    [Display(Name = "Field.Community")]
    public int? CommunityId { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [EmailAddress(ErrorMessage = "Validation.Email")]
    [Display(Name = "Field.Email")]
    public string Email { get; set; } = "";
}

/// <summary>The filter of the manager's hours queue and its export.</summary>
public sealed class HoursFilter
{
    public int? Community { get; set; }
    public int? Street { get; set; }
    public HoursState? State { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }

    /// <summary>One person (user id), for a per-person export.</summary>
    public string? Person { get; set; }

    /// <summary>One activity, for a per-activity export.</summary>
    public int? Activity { get; set; }

    /// <summary>The page of the list, from 1 (the export ignores it).</summary>
    public int Page { get; set; } = 1;
}
