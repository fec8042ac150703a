namespace Practitioners.Web.Features.Audit;

public static class AuditSetup
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AuditLog>();
        // Verifications are queued on the request and written in batches by a background writer (see VerificationLog).
        builder.Services.Configure<VerificationLogOptions>(builder.Configuration.GetSection("Audit:Verifications"));
        builder.Services.AddSingleton<VerificationLog>();
        builder.Services.AddSingleton<VerificationLogWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<VerificationLogWriter>());
        return builder;
    }
}
