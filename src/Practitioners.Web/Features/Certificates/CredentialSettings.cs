using Practitioners.Web.Features.Admissions;

namespace Practitioners.Web.Features.Certificates;

/// <summary>
/// Per credential type (V, P, R), from the "Credentials" settings section. The learning paths and the agreement
/// a type needs are set in content/ (paths.yaml and the agreement's roles).
/// </summary>
public sealed class CredentialTypeSettings
{
    public int ValidityMonths { get; set; } = 12;

    /// <summary>Renewal opens this many days before expiry; the certificate shows as Expiring from then.</summary>
    public int RenewalWindowDays { get; set; } = 90;

    /// <summary>After expiry, the refresher path still renews the certificate for this many days.</summary>
    public int GraceDays { get; set; } = 30;

    /// <summary>Days before expiry (negative: after) at which reminders go out.</summary>
    public List<int> ReminderDays { get; set; } = [60, 30, 7, 0];

    /// <summary>Days after expiry at which the community's managers are told.</summary>
    public List<int> ManagerReminderDays { get; set; } = [14];

    public TimeSpan RenewalWindow => TimeSpan.FromDays(RenewalWindowDays);

    public TimeSpan Grace => TimeSpan.FromDays(GraceDays);
}

public sealed class CredentialSettings
{
    public CredentialTypeSettings V { get; set; } = new() { ValidityMonths = 12 };
    public CredentialTypeSettings P { get; set; } = new() { ValidityMonths = 24 };
    public CredentialTypeSettings R { get; set; } = new() { ValidityMonths = 36 };

    public CredentialTypeSettings For(RoleTrack track) => track switch
    {
        RoleTrack.Volunteer => V,
        RoleTrack.ServiceProvider => P,
        _ => R,
    };
}
