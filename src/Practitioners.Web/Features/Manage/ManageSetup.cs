namespace Practitioners.Web.Features.Manage;

public static class ManageSetup
{
    public static WebApplicationBuilder AddManagerConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ManagerScope>();
        builder.Services.AddScoped<ManagerDashboard>();
        builder.Services.AddScoped<Roster>();
        builder.Services.AddScoped<InviteVolunteers>();
        return builder;
    }
}
