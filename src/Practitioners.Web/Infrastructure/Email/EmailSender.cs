using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Practitioners.Web.Infrastructure.Email;

public sealed record EmailMessage(string To, string ToName, string Subject, string HtmlBody, string TextBody);

/// <summary>The seam between the site and mail delivery.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken ct = default);
}

public sealed class EmailOptions
{
    public string From { get; set; } = "Practitioners <no-reply@practitioners.local>";
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>When set, every outgoing message is also written here as an .eml file (Development).</summary>
    public string? PickupDirectory { get; set; }
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 25;
    public bool UseTls { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
}

/// <summary>Sends over SMTP with MailKit when a server is configured, and keeps a copy in the pickup folder when one is.</summary>
public sealed class MailKitEmailSender(IOptions<EmailOptions> options, IWebHostEnvironment environment, TimeProvider clock) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken ct = default)
    {
        var settings = options.Value;
        var mime = Build(message, settings, clock.GetUtcNow());

        if (PickupDirectory.Resolve(settings, environment) is { } folder)
        {
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"{clock.GetUtcNow():yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}.eml");
            await mime.WriteToAsync(file, ct);
        }

        if (!string.IsNullOrWhiteSpace(settings.Smtp.Host))
        {
            using var client = new SmtpClient();
            await client.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port,
                settings.Smtp.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
            if (!string.IsNullOrEmpty(settings.Smtp.UserName))
            {
                await client.AuthenticateAsync(settings.Smtp.UserName, settings.Smtp.Password ?? "", ct);
            }
            await client.SendAsync(mime, ct);
            await client.DisconnectAsync(true, ct);
        }
    }

    public static MimeMessage Build(EmailMessage message, EmailOptions settings, DateTimeOffset now)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(settings.From));
        mime.To.Add(new MailboxAddress(message.ToName, message.To));
        mime.Subject = message.Subject;
        mime.Date = now;
        mime.Body = new BodyBuilder { HtmlBody = message.HtmlBody, TextBody = message.TextBody }.ToMessageBody();
        return mime;
    }
}

public static class PickupDirectory
{
    public static string? Resolve(EmailOptions settings, IWebHostEnvironment environment) =>
        string.IsNullOrWhiteSpace(settings.PickupDirectory)
            ? null
            : Path.GetFullPath(Path.Combine(environment.ContentRootPath, settings.PickupDirectory));
}

public static class EmailSetup
{
    public static WebApplicationBuilder AddEmail(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<EmailOptions>(builder.Configuration.GetSection("Email"));
        builder.Services.AddSingleton<IEmailSender, MailKitEmailSender>();
        return builder;
    }
}
