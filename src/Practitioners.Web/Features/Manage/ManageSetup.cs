namespace Practitioners.Web.Features.Manage;

public static class ManageSetup
{
    public static WebApplicationBuilder AddManagerConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ManagerScope>();
        builder.Services.AddScoped<ManagerDashboard>();
        builder.Services.AddSingleton<DashboardCache>();
        builder.Services.AddSingleton<DashboardChanges>();
        builder.Services.ConfigureDbContext<Data.AppDbContext>((sp, options) => options.AddInterceptors(sp.GetRequiredService<DashboardChanges>()));
        builder.Services.AddScoped<Roster>();
        builder.Services.AddScoped<InviteVolunteers>();
        return builder;
    }
}
