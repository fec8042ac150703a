using Practitioners.Web.Infrastructure.Clock;

namespace Practitioners.Web.Features.Reminders;

public static class RemindersSetup
{
    public static WebApplicationBuilder AddReminders(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ReminderSettings>(builder.Configuration.GetSection("Reminders"));
        builder.Services.AddScoped<PlanReminders>();
        builder.Services.AddScoped<RenderReminders>();
        builder.Services.AddScoped<CancelStaleReminders>();
        builder.Services.AddScoped<SendManagerDigests>();
        builder.Services.AddScoped<NotificationBell>();
        if (builder.Environment.IsDevelopment())
        {
            // The admin's fast-forward control (/admin/clock). Never registered outside Development.
            builder.Services.AddShiftedClock();
        }
        return builder;
    }
}
