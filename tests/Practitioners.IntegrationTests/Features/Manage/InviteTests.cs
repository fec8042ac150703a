using System.Text;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.IntegrationTests.Features.Manage;

public sealed class InviteTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public InviteTests(SiteFactory site) => _site = site;

    private async Task<(HttpClient Manager, int Community)> ManagerAsync(string code)
    {
        var community = await _site.CreateCommunityAsync(code);
        var email = $"mgr-{code}@example.cn";
        await _site.CreateUserAsync(email, "管理员", roles: Roles.CommunityManager);
        await _site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = db.Users.Single(u => u.Email == email).Id, CommunityId = community.Id });
            return await db.SaveChangesAsync();
        });
        var client = _site.CreateBrowserClient();
        await client.SignInAsync(email);
        return (client, community.Id);
    }

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> UploadAsync(HttpClient manager, int community, string csv, bool allOrNothing)
    {
        var page = await manager.GetDocumentAsync($"/manage/invite?community={community}");
        var form = new MultipartFormDataContent
        {
            { new StringContent(page.AntiforgeryToken()), "__RequestVerificationToken" },
            { new StringContent(community.ToString()), "community" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "volunteers.csv" },
        };
        if (allOrNothing)
        {
            form.Add(new StringContent("true"), "allOrNothing");
        }
        return await (await manager.PostAsync("/manage/invite", form)).ParseAsync();
    }

    private const string List = "姓名,邮箱,学校\n李同学,li.student@example.cn,师范大学\n王同学,not-an-email,师范大学\n\"张, 同学\",zhang.student@example.cn,理工大学\n李同学,li.student@example.cn,师范大学\n";

    [Fact]
    public async Task AllOrNothing_WithABadRow_SendsNothing_AndReportsEachLine()
    {
        var (manager, community) = await ManagerAsync("invite-none");

        var report = await UploadAsync(manager, community, List, allOrNothing: true);

        Assert.Contains("没有发送邀请", report.QuerySelector("#invite-report")!.TextContent);
        Assert.Contains("邮箱格式不正确", report.QuerySelector("tr[data-line='3']")!.TextContent);
        Assert.Contains("与前面的行重复", report.QuerySelector("tr[data-line='5']")!.TextContent);
        Assert.Equal(0, await _site.WithDbAsync(db => db.Invitations.CountAsync(i => i.CommunityId == community)));
    }

    [Fact]
    public async Task ValidRows_AreInvited_AndTheLinkPrefillsRegistration_ForThatCommunity()
    {
        var (manager, community) = await ManagerAsync("invite-valid");

        var report = await UploadAsync(manager, community, List, allOrNothing: false);
        Assert.Contains("已发送 2 封邀请", report.QuerySelector("#invite-report")!.TextContent);

        var mail = await _site.Smtp.WaitForAsync("zhang.student@example.cn");
        var student = _site.CreateBrowserClient();
        var form = await student.GetDocumentAsync(mail.LinkTo("/account/register"));
        Assert.Equal("张, 同学", form.QuerySelector("input[name=FullName]")!.GetAttribute("value"));
        var invite = form.QuerySelector("input[name=Invite]")!.GetAttribute("value")!;
        var registered = await student.PostAsync("/account/register", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", form.AntiforgeryToken()), new("FullName", "张, 同学"), new("Email", "zhang.student@example.cn"),
            new("Password", People.Password), new("ConfirmPassword", People.Password), new("Invite", invite),
        ]));

        // The invitation proved the address, so the student goes straight to the volunteer profile for that community.
        Assert.Equal($"/tracks/volunteer?community={community}", registered.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.True(await _site.WithDbAsync(db => db.Users.Where(u => u.Email == "zhang.student@example.cn").Select(u => u.EmailConfirmed).SingleAsync()));
        var invitation = await _site.WithDbAsync(db => db.Invitations.SingleAsync(i => i.Email == "zhang.student@example.cn"));
        Assert.NotNull(invitation.AcceptedAt);

        // The link works once.
        var again = await _site.CreateBrowserClient().GetDocumentAsync(mail.LinkTo("/account/register"));
        Assert.Equal("", again.QuerySelector("input[name=FullName]")!.GetAttribute("value") ?? "");
    }
}
