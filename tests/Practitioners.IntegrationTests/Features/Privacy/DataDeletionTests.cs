using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Practitioners.IntegrationTests.Features.Partners;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Partners;
using Practitioners.Web.Features.Privacy;
using Practitioners.Web.Infrastructure.Email;
using Microsoft.Extensions.DependencyInjection;

namespace Practitioners.IntegrationTests.Features.Privacy;

/// <summary>
/// PIPL deletion: a person asks with their password, an admin approves (the personal data is erased in one transaction
/// and every certificate revoked, so verification says "holder record removed", never valid) or rejects with a reason.
/// </summary>
public sealed class DataDeletionTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private async Task<HttpResponseMessage> AskAsync(HttpClient client, string password, string tokenPage = "/account/data/delete") =>
        await client.SubmitAsync(tokenPage, "/account/data/delete", [new("Input.Password", password)]);

    private async Task<HttpClient> AdminAsync(string email)
    {
        await _site.CreateUserAsync(email, "管理员", roles: Roles.Admin);
        var admin = _site.CreateBrowserClient(followRedirects: false);
        await admin.SignInAsync(email);
        return admin;
    }

    private Task<List<DeletionRequest>> RequestsOfAsync(string userId) =>
        _site.WithDbAsync(db => db.DeletionRequests.AsNoTracking().Where(r => r.UserId == userId).ToListAsync());

    [Fact]
    public async Task ARequest_NeedsThePassword_AndOnlyOneIsPendingAtATime()
    {
        var user = await _site.CreateUserAsync("ask-delete@example.cn", "孙八");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("ask-delete@example.cn");
        var page = await client.GetDocumentAsync("/account/data/delete");
        Assert.Contains("签名", page.Body!.TextContent);
        Assert.NotNull(page.QuerySelector("form[action='/account/data/delete'] input[name='Input.Password']"));

        var wrong = await AskAsync(client, "not my password 1");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("密码不正确。", (await wrong.ParseAsync()).FieldErrors());
        Assert.Empty(await RequestsOfAsync(user.Id));

        var right = await AskAsync(client, People.Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var pending = await right.ParseAsync();
        Assert.Equal("待审核", pending.QuerySelector(".deletion-state .badge")!.TextContent.Trim());
        Assert.Null(pending.QuerySelector("form[action='/account/data/delete']"));
        var request = Assert.Single(await RequestsOfAsync(user.Id));
        Assert.Equal(DeletionRequestState.Pending, request.State);

        // A second request while one is pending (posted with a token from another page) adds nothing.
        var again = await AskAsync(client, People.Password, tokenPage: "/account/profile");
        Assert.Contains("已有一项待审核", (await again.ParseAsync()).Body!.TextContent);
        Assert.Single(await RequestsOfAsync(user.Id));
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "privacy.deletion.requested" && e.ActorUserId == user.Id)));
        // The profile links to the request page, next to the export.
        Assert.NotNull((await client.GetDocumentAsync("/account/profile")).QuerySelector("a[href='/account/data/delete']"));
    }

    [Fact]
    public async Task Approval_ErasesThePerson_EndsTheirSessions_AndVerificationSaysHolderRecordRemoved()
    {
        var holder = _site.CreateBrowserClient(followRedirects: false);
        var (userId, certificate, _) = await _site.CertifiedAsync("erase-me@example.cn", "钱七", holder);
        await _site.WithDbAsync(async db =>
        {
            db.Notifications.Add(new() { UserId = userId, Title = "t", Body = "b", Link = "/me", CreatedAt = _site.Clock.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync();
        });
        // An hours certificate too: its public page must stop naming the holder as well.
        var hoursCode = Practitioners.Web.Features.Certificates.CertificateCodes.NewVerificationCode();
        await _site.WithDbAsync(async db =>
        {
            db.HoursCertificates.Add(new Practitioners.Web.Features.Hours.HoursCertificate
            {
                Number = "SH-2026-900001", VerificationCode = hoursCode, UserId = userId,
                From = DateOnly.FromDateTime(_site.Clock.GetUtcNow().UtcDateTime.AddDays(-30)), To = DateOnly.FromDateTime(_site.Clock.GetUtcNow().UtcDateTime),
                TotalMinutes = 90, RecordCount = 1, ActivityCount = 1, CommunitiesZh = "社区", CommunitiesEn = "Community",
                StreetsZh = "街道", StreetsEn = "Street", RecordIds = "", IssuedAt = _site.Clock.GetUtcNow().UtcDateTime,
            });
            return await db.SaveChangesAsync();
        });
        Assert.Equal("钱七", (await _site.CreateBrowserClient().GetDocumentAsync($"/verify/hours/{hoursCode}")).QuerySelector(".holder")!.TextContent.Trim());
        var stampBefore = await _site.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await AskAsync(holder, People.Password)).StatusCode);
        var requestId = (await RequestsOfAsync(userId)).Single().Id;

        var admin = await AdminAsync("erase-admin@example.cn");
        var queue = await admin.GetDocumentAsync("/admin/deletions");
        Assert.Contains("钱七", queue.QuerySelector($"[data-request='{requestId}']")!.TextContent);
        var approved = await admin.SubmitAsync("/admin/deletions", $"/admin/deletions/{requestId}/approve", []);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);

        var user = await _site.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.Equal(DecideDeletion.RemovedName, user.FullName);
        Assert.Equal($"deleted-{userId}@deleted.invalid", user.Email);
        Assert.Equal(user.Email, user.UserName);
        Assert.Equal(user.Email!.ToUpperInvariant(), user.NormalizedEmail);
        Assert.Null(user.PhoneNumber);
        Assert.Null(user.PasswordHash);
        Assert.False(user.TwoFactorEnabled);
        Assert.Equal(DecideDeletion.LockedUntil, user.LockoutEnd);
        Assert.NotEqual(stampBefore, user.SecurityStamp);
        Assert.Equal(_site.Clock.GetUtcNow().UtcDateTime, user.PersonalDataRemovedAt);
        var profile = await _site.WithDbAsync(db => db.VolunteerProfiles.AsNoTracking().SingleAsync(p => p.UserId == userId));
        Assert.Equal(("", "", ""), (profile.School, profile.StudentNumber, profile.Major));
        Assert.Equal(DateOnly.MinValue, profile.DateOfBirth);
        Assert.False(await _site.WithDbAsync(db => db.Notifications.AnyAsync(n => n.UserId == userId)));
        Assert.False(await _site.WithDbAsync(db => db.UserTokens.AnyAsync(t => t.UserId == userId)));
        Assert.Equal(AdmissionState.Withdrawn, await _site.WithDbAsync(db => db.Admissions.Where(a => a.Id == certificate.AdmissionId).Select(a => a.State).SingleAsync()));
        var stored = await _site.WithDbAsync(db => db.Certificates.AsNoTracking().Include(c => c.Events).SingleAsync(c => c.Id == certificate.Id));
        Assert.NotNull(stored.RevokedAt);
        Assert.Equal(DecideDeletion.Reason, stored.Reason);
        Assert.Equal([CertificateEventKind.Issued, CertificateEventKind.Revoked], stored.Events.OrderBy(e => e.Id).Select(e => e.Kind).ToArray());
        // Evidence stays: the signature is still there.
        Assert.True(await _site.WithDbAsync(db => db.Signatures.AnyAsync(s => s.UserId == userId)));
        Assert.Equal(DeletionRequestState.Approved, (await RequestsOfAsync(userId)).Single().State);
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "privacy.erased" && e.SubjectId == userId)));
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "certificate.revoke" && e.SubjectId == certificate.Number)));

        // The old session ends at the next security-stamp check; signing in again fails.
        _site.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.NotEqual(HttpStatusCode.OK, (await holder.GetAsync("/me")).StatusCode);
        var again = _site.CreateBrowserClient(followRedirects: false);
        var signIn = await again.SignInAsync("erase-me@example.cn");
        Assert.NotEqual(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await again.GetAsync("/me")).StatusCode);

        // Public verification, in Chinese and in English: holder record removed, never the name, never valid.
        var anonymous = _site.CreateBrowserClient();
        var zh = await anonymous.GetDocumentAsync($"/verify/{certificate.VerificationCode}");
        Assert.Equal("持有人记录已删除", zh.QuerySelector(".holder")!.TextContent.Trim());
        Assert.Equal("true", zh.QuerySelector(".verify-status")!.GetAttribute("data-holder-removed"));
        Assert.Contains("status-revoked", zh.QuerySelector(".verify-status")!.ClassName);
        Assert.DoesNotContain("钱七", zh.Body!.TextContent);
        var hours = await anonymous.GetDocumentAsync($"/verify/hours/{hoursCode}");
        Assert.Equal("持有人记录已删除", hours.QuerySelector(".holder")!.TextContent.Trim());
        Assert.DoesNotContain("钱七", hours.Body!.TextContent);
        Assert.DoesNotContain("有效期内", zh.QuerySelector(".verify-status")!.TextContent);
        (await anonymous.SubmitAsync("/", "/culture", [new("culture", "en"), new("returnUrl", "/")])).EnsureSuccessStatusCode();
        var en = await anonymous.GetDocumentAsync($"/verify/{certificate.VerificationCode}");
        Assert.Equal("Holder record removed", en.QuerySelector(".holder")!.TextContent.Trim());
        Assert.Contains("Holder record removed", en.QuerySelector(".verify-status")!.TextContent);
        // The number-and-name search finds nothing, not even with the marker as the name.
        var found = await anonymous.GetAsync($"/verify/find?number={certificate.Number}&name={Uri.EscapeDataString(DecideDeletion.RemovedName)}");
        Assert.Equal(HttpStatusCode.NotFound, found.StatusCode);

        // The partner API says the same.
        var secret = await _site.RegisterMachineAsync("erase-verifier", [PartnerScopes.CredentialsVerify]);
        var api = await _site.ApiClientAsync("erase-verifier", secret, PartnerScopes.CredentialsVerify);
        var response = await api.GetAsync($"/api/v1/credentials/{certificate.Number}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("revoked", json.GetProperty("status").GetString());
        Assert.True(json.GetProperty("holderRecordRemoved").GetBoolean());
        Assert.Equal("持有人记录已删除 / Holder record removed", json.GetProperty("holderName").GetString());
        Assert.DoesNotContain("钱七", body);
    }

    [Fact]
    public async Task Rejection_NeedsAReason_AndLeavesEverything()
    {
        var holder = _site.CreateBrowserClient();
        var (userId, certificate, _) = await _site.CertifiedAsync("keep-me@example.cn", "李九", holder);
        await AskAsync(holder, People.Password);
        var requestId = (await RequestsOfAsync(userId)).Single().Id;
        var before = await _site.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        var admin = await AdminAsync("keep-admin@example.cn");

        await admin.SubmitAsync("/admin/deletions", $"/admin/deletions/{requestId}/reject", [new("Reason", " ")]);
        Assert.Equal(DeletionRequestState.Pending, (await RequestsOfAsync(userId)).Single().State);
        await admin.SubmitAsync("/admin/deletions", $"/admin/deletions/{requestId}/reject", [new("Reason", "在职调查期间须保留")]);

        var request = (await RequestsOfAsync(userId)).Single();
        Assert.Equal(DeletionRequestState.Rejected, request.State);
        Assert.Equal("在职调查期间须保留", request.Reason);
        var after = await _site.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
        Assert.Equal((before.FullName, before.Email, before.PasswordHash, before.SecurityStamp), (after.FullName, after.Email, after.PasswordHash, after.SecurityStamp));
        Assert.Null(after.PersonalDataRemovedAt);
        Assert.Null(await _site.WithDbAsync(db => db.Certificates.Where(c => c.Id == certificate.Id).Select(c => c.RevokedAt).SingleAsync()));
        var page = await holder.GetDocumentAsync($"/verify/{certificate.VerificationCode}");
        Assert.Equal("李九", page.QuerySelector(".holder")!.TextContent.Trim());
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "privacy.deletion.rejected" && e.SubjectId == requestId.ToString())));

        // The person sees the decision and its reason, and may ask again.
        var mine = await holder.GetDocumentAsync("/account/data/delete");
        Assert.Contains("在职调查期间须保留", mine.QuerySelector(".deletion-state")!.TextContent);
        Assert.NotNull(mine.QuerySelector("form[action='/account/data/delete']"));
    }

    [Fact]
    public async Task NonAdmins_CannotSeeOrDecideTheQueue()
    {
        var asker = await _site.CreateUserAsync("queue-asker@example.cn");
        var askerClient = _site.CreateBrowserClient();
        await askerClient.SignInAsync("queue-asker@example.cn");
        await AskAsync(askerClient, People.Password);
        var requestId = (await RequestsOfAsync(asker.Id)).Single().Id;
        await _site.CreateUserAsync("queue-volunteer@example.cn");
        var volunteer = _site.CreateBrowserClient(followRedirects: false);
        await volunteer.SignInAsync("queue-volunteer@example.cn");
        var token = (await volunteer.GetDocumentAsync("/account/profile")).AntiforgeryToken();

        foreach (var (method, url) in new[] { ("GET", "/admin/deletions"), ("POST", $"/admin/deletions/{requestId}/approve"), ("POST", $"/admin/deletions/{requestId}/reject") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method == "POST")
            {
                request.Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("Reason", "x")]);
            }
            var response = await volunteer.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound
                || response.Headers.Location?.OriginalString.Contains("/account/denied", StringComparison.Ordinal) == true,
                $"{method} {url}: {(int)response.StatusCode} {response.Headers.Location}");
        }
        Assert.Equal(DeletionRequestState.Pending, (await RequestsOfAsync(asker.Id)).Single().State);
        Assert.Null(await _site.WithDbAsync(db => db.Users.Where(u => u.Id == asker.Id).Select(u => u.PersonalDataRemovedAt).SingleAsync()));
    }

    [Fact]
    public async Task Approval_CancelsTheMailNotYetSentToThePerson_AndEmptiesIt_KeepingWhatWasSent()
    {
        var user = await _site.CreateUserAsync("erase-mail@example.cn", "冯十");
        await _site.CreateUserAsync("keep-mail@example.cn", "陈十一");
        var now = _site.Clock.GetUtcNow().UtcDateTime;
        OutboxMessage Message(string key, string to, string name, string kind, OutboxState state, DateTime dueAt)
        {
            var message = OutboxMessage.Create(key, new EmailMessage(to, name, $"{name}，您的证书即将到期",
                $"<p>{name}，您好</p>", $"{name}，您好"), "zh-CN", kind, now);
            message.State = state;
            message.DueAt = dueAt;
            message.SentAt = state == OutboxState.Sent ? now : null;
            return message;
        }
        await _site.WithDbAsync(async db =>
        {
            db.OutboxMessages.AddRange(
                // Waiting for a retry, a reminder due later, one that died (an admin could retry it), one already sent.
                Message("erase-mail:retry", "erase-mail@example.cn", "冯十", OutboxKinds.Email, OutboxState.Pending, now.AddMinutes(30)),
                Message("erase-mail:reminder", "Erase-Mail@Example.cn", "冯十", OutboxKinds.Reminder, OutboxState.Pending, now.AddDays(1)),
                Message("erase-mail:dead", "erase-mail@example.cn", "冯十", OutboxKinds.Email, OutboxState.Dead, now),
                Message("erase-mail:sent", "erase-mail@example.cn", "冯十", OutboxKinds.Email, OutboxState.Sent, now),
                Message("keep-mail:reminder", "keep-mail@example.cn", "陈十一", OutboxKinds.Reminder, OutboxState.Pending, now.AddDays(1)));
            return await db.SaveChangesAsync();
        });
        var holder = _site.CreateBrowserClient(followRedirects: false);
        await holder.SignInAsync("erase-mail@example.cn");
        await AskAsync(holder, People.Password);
        var requestId = (await RequestsOfAsync(user.Id)).Single().Id;
        var admin = await AdminAsync("erase-mail-admin@example.cn");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync("/admin/deletions", $"/admin/deletions/{requestId}/approve", [])).StatusCode);

        // Everything comes due; the sender runs: nothing goes to the erased person, the other person's reminder does.
        _site.Clock.Advance(TimeSpan.FromDays(2));
        var before = _site.Smtp.Messages.Count;
        await _site.WithScopeAsync(async sp => await sp.GetRequiredService<SendOutbox>().RunAsync(CancellationToken.None));
        var delivered = _site.Smtp.Messages.Skip(before).SelectMany(m => m.To.Mailboxes.Select(a => a.Address.ToLowerInvariant())).ToList();
        Assert.Contains("keep-mail@example.cn", delivered);
        Assert.DoesNotContain("erase-mail@example.cn", delivered);
        Assert.DoesNotContain(delivered, a => a.StartsWith("deleted-", StringComparison.Ordinal));

        var rows = await _site.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.IdempotencyKey.StartsWith("erase-mail:")).ToDictionaryAsync(m => m.IdempotencyKey));
        foreach (var key in new[] { "erase-mail:retry", "erase-mail:reminder", "erase-mail:dead" })
        {
            var row = rows[key];
            Assert.Equal(OutboxState.Cancelled, row.State);
            Assert.Equal(DecideDeletion.RemovedEmail(user.Id), row.To);
            Assert.DoesNotContain("冯十", row.ToName + row.Subject + row.Html + row.Text);
        }
        // The sent message stays as the record of what was sent.
        Assert.Equal((OutboxState.Sent, "erase-mail@example.cn"), (rows["erase-mail:sent"].State, rows["erase-mail:sent"].To));
        Assert.Contains("\"mailCancelled\":3", await _site.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "privacy.erased" && e.SubjectId == user.Id).Select(e => e.Data).SingleAsync()));
    }

    [Fact]
    public async Task Approval_RevokesThePersonsPartnerTokens()
    {
        var user = await _site.CreateUserAsync("erase-token@example.cn");
        string tokenId = "";
        await _site.WithScopeAsync(async sp =>
        {
            var tokens = sp.GetRequiredService<OpenIddict.Abstractions.IOpenIddictTokenManager>();
            var token = await tokens.CreateAsync(new OpenIddict.Abstractions.OpenIddictTokenDescriptor
            {
                Subject = user.Id, Status = OpenIddict.Abstractions.OpenIddictConstants.Statuses.Valid,
                Type = OpenIddict.Abstractions.OpenIddictConstants.TokenTypeHints.AccessToken,
                CreationDate = _site.Clock.GetUtcNow(), ExpirationDate = _site.Clock.GetUtcNow().AddHours(1),
            });
            tokenId = (await tokens.GetIdAsync(token))!;
        });
        var holder = _site.CreateBrowserClient(followRedirects: false);
        await holder.SignInAsync("erase-token@example.cn");
        await AskAsync(holder, People.Password);
        var admin = await AdminAsync("erase-token-admin@example.cn");
        await admin.SubmitAsync("/admin/deletions", $"/admin/deletions/{(await RequestsOfAsync(user.Id)).Single().Id}/approve", []);

        string? status = null;
        await _site.WithScopeAsync(async sp =>
        {
            var tokens = sp.GetRequiredService<OpenIddict.Abstractions.IOpenIddictTokenManager>();
            status = await tokens.GetStatusAsync((await tokens.FindByIdAsync(tokenId))!);
        });
        Assert.Equal(OpenIddict.Abstractions.OpenIddictConstants.Statuses.Revoked, status);
    }
}
