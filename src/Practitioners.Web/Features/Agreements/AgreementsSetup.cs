namespace Practitioners.Web.Features.Agreements;

public static class AgreementsSetup
{
    public static WebApplicationBuilder AddAgreements(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AgreementStanding>();
        builder.Services.AddScoped<AgreementSync>();
        builder.Services.AddScoped<SignAgreement>();
        builder.Services.AddScoped<GuardianInvitations>();
        builder.Services.AddScoped<GuardianEmails>();
        builder.Services.AddScoped<GuardianCoSign>();
        builder.Services.AddScoped<Countersign>();
        builder.Services.AddScoped<PauseOverdueAdmissions>();
        return builder;
    }
}
