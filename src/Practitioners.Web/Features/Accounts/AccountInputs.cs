using System.ComponentModel.DataAnnotations;

namespace Practitioners.Web.Features.Accounts;

public sealed class RegisterInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(100, MinimumLength = 2, ErrorMessage = "Validation.Length")]
    [Display(Name = "Field.FullName")]
    public string FullName { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [EmailAddress(ErrorMessage = "Validation.Email")]
    [StringLength(256, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.Email")]
    public string Email { get; set; } = "";

    [Phone(ErrorMessage = "Validation.Phone")]
    [StringLength(32, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.Phone")]
    public string? PhoneNumber { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [DataType(DataType.Password)]
    [Display(Name = "Field.Password")]
    public string Password { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [DataType(DataType.Password)]
    [Compare(nameof(Password), ErrorMessage = "Validation.PasswordsDiffer")]
    [Display(Name = "Field.ConfirmPassword")]
    public string ConfirmPassword { get; set; } = "";

    /// <summary>The token of a community's invitation, when the person came from one.</summary>
    [StringLength(100)]
    public string? Invite { get; set; }
}

public sealed class SignInInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [EmailAddress(ErrorMessage = "Validation.Email")]
    [Display(Name = "Field.Email")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [DataType(DataType.Password)]
    [Display(Name = "Field.Password")]
    public string Password { get; set; } = "";

    [Display(Name = "Field.RememberMe")]
    public bool RememberMe { get; set; }

    public string? ReturnUrl { get; set; }
}

public sealed class EmailInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [EmailAddress(ErrorMessage = "Validation.Email")]
    [Display(Name = "Field.Email")]
    public string Email { get; set; } = "";
}

public sealed class ResetPasswordInput
{
    [Required]
    public string UserId { get; set; } = "";

    [Required]
    public string Code { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [DataType(DataType.Password)]
    [Display(Name = "Field.NewPassword")]
    public string Password { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [DataType(DataType.Password)]
    [Compare(nameof(Password), ErrorMessage = "Validation.PasswordsDiffer")]
    [Display(Name = "Field.ConfirmPassword")]
    public string ConfirmPassword { get; set; } = "";
}

public sealed class ChangePasswordInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [DataType(DataType.Password)]
    [Display(Name = "Field.CurrentPassword")]
    public string CurrentPassword { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [DataType(DataType.Password)]
    [Display(Name = "Field.NewPassword")]
    public string Password { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [DataType(DataType.Password)]
    [Compare(nameof(Password), ErrorMessage = "Validation.PasswordsDiffer")]
    [Display(Name = "Field.ConfirmPassword")]
    public string ConfirmPassword { get; set; } = "";
}

public sealed class ProfileInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(100, MinimumLength = 2, ErrorMessage = "Validation.Length")]
    [Display(Name = "Field.FullName")]
    public string FullName { get; set; } = "";

    [Phone(ErrorMessage = "Validation.Phone")]
    [StringLength(32, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.Phone")]
    public string? PhoneNumber { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [RegularExpression("^(zh-CN|en)$", ErrorMessage = "Validation.Choice")]
    [Display(Name = "Field.Language")]
    public string PreferredCulture { get; set; } = "zh-CN";
}

public sealed record ProfileViewModel(ProfileInput Input, string Email, bool EmailConfirmed, bool Saved);
