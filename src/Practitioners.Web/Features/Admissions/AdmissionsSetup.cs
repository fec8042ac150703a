namespace Practitioners.Web.Features.Admissions;

public static class AdmissionsSetup
{
    public static WebApplicationBuilder AddAdmissions(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<StartRoleTrack>();
        return builder;
    }
}
