using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Practitioners.Web.Features.Certificates.OpenBadges;

namespace Practitioners.Web.Features.Certificates;

public static class CertificatesSetup
{
    public const string VerificationPolicy = "verification";

    public static WebApplicationBuilder AddCertificates(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<CredentialSettings>(builder.Configuration.GetSection("Credentials"));
        builder.Services.AddScoped<IssueCertificate>();
        builder.Services.AddScoped<CertificateLookup>();
        builder.Services.AddScoped<CertificateEmails>();
        builder.Services.AddScoped<ChangeCertificateStatus>();
        builder.Services.AddScoped<LapseExpiredAdmissions>();
        builder.AddOpenBadges();

        var perMinute = builder.Configuration.GetValue("RateLimits:VerificationPerMinute", 60);
        builder.Services.AddRateLimiter(options =>
        {
            // Per client address: verification must not become a way to enumerate codes. The limit is per process;
            // with several nodes put the same limit in the load balancer too (see README, scale-out).
            options.AddPolicy(VerificationPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            // 429 with Retry-After, not the framework's default 503.
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
        });
        return builder;
    }
}
