namespace Practitioners.Web.Features.Hours;

public static class HoursSetup
{
    /// <summary>Volunteer activities, sign-up and attendance, hours and their approval, service-hours certificates.</summary>
    public static WebApplicationBuilder AddHours(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ActivityTime>();
        builder.Services.AddScoped<HoursAccess>();
        builder.Services.AddScoped<SignUps>();
        builder.Services.AddScoped<Attendance>();
        builder.Services.AddScoped<HoursDecisions>();
        builder.Services.AddScoped<SubmitOffSiteHours>();
        builder.Services.AddScoped<ServiceRecord>();
        builder.Services.AddScoped<IssueHoursCertificate>();
        builder.Services.AddScoped<HoursCertificateDocument>();
        return builder;
    }
}
