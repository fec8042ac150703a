using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MimeKit;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Infrastructure.Email;

namespace Practitioners.Web.Features.Mail;

/// <summary>Lists the messages kept in the pickup folder, so a site with no mail server can still be used.</summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/mail")]
public sealed class OutgoingMailController(IOptions<EmailOptions> options, IWebHostEnvironment environment) : Controller
{
    private const int PageSize = 50;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var folder = PickupDirectory.Resolve(options.Value, environment);
        var items = new List<OutgoingMailItem>();
        if (folder is not null && Directory.Exists(folder))
        {
            foreach (var file in new DirectoryInfo(folder).GetFiles("*.eml").OrderByDescending(f => f.Name).Take(PageSize))
            {
                var message = await MimeMessage.LoadAsync(file.FullName, ct);
                items.Add(new OutgoingMailItem(Path.GetFileNameWithoutExtension(file.Name),
                    message.Date.UtcDateTime, message.To.ToString(), message.Subject ?? ""));
            }
        }
        return View(new OutgoingMailViewModel(folder is not null, items));
    }

    [HttpGet("{id}")]
    public async Task<IActionResult> Show(string id, CancellationToken ct)
    {
        var folder = PickupDirectory.Resolve(options.Value, environment);
        // The id is a file name we wrote: letters, digits, T and '-'. Anything else never reaches the file system.
        if (folder is null || id.Length > 80 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return NotFound();
        }
        var path = Path.Combine(folder, id + ".eml");
        if (!System.IO.File.Exists(path))
        {
            return NotFound();
        }
        var message = await MimeMessage.LoadAsync(path, ct);
        return View(new OutgoingMailMessageViewModel(message.Date.UtcDateTime, message.To.ToString(),
            message.Subject ?? "", message.TextBody ?? "", ExtractLinks(message.HtmlBody ?? message.TextBody ?? "")));
    }

    private static List<string> ExtractLinks(string body) =>
        System.Text.RegularExpressions.Regex.Matches(body, "https?://[^\"'<>\\s]+")
            .Select(m => System.Net.WebUtility.HtmlDecode(m.Value)).Distinct().ToList();
}

public sealed record OutgoingMailItem(string Id, DateTime SentAt, string To, string Subject);

public sealed record OutgoingMailViewModel(bool Enabled, IReadOnlyList<OutgoingMailItem> Items);

public sealed record OutgoingMailMessageViewModel(DateTime SentAt, string To, string Subject, string Text, IReadOnlyList<string> Links);
