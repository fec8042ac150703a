namespace Practitioners.Web.Features.Studies;

public static class StudiesSetup
{
    /// <summary>
    /// Studies, community consent and enrolment. <see cref="SyncEnrolmentsWithCredentials"/> belongs in the daily job:
    /// it is registered here for the job to resolve in its own scope and call.
    /// </summary>
    public static WebApplicationBuilder AddStudies(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<StudyAccess>();
        builder.Services.AddScoped<CredentialStanding>();
        builder.Services.AddScoped<StudyAgreementText>();
        builder.Services.AddScoped<StudyEmails>();
        builder.Services.AddScoped<StudyRoster>();
        builder.Services.AddScoped<SaveStudy>();
        builder.Services.AddScoped<PublishStudy>();
        builder.Services.AddScoped<WithdrawStudy>();
        builder.Services.AddScoped<DecideConsent>();
        builder.Services.AddScoped<RequestEnrolment>();
        builder.Services.AddScoped<DecideEnrolment>();
        builder.Services.AddScoped<EndEnrolment>();
        builder.Services.AddScoped<SyncEnrolmentsWithCredentials>();
        return builder;
    }
}
