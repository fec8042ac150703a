using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Practitioners.IntegrationTests.Features.Security.Access;
using static Practitioners.IntegrationTests.Features.Security.Rule;

namespace Practitioners.IntegrationTests.Features.Security;

/// <summary>
/// Every endpoint of the site, read from its own <see cref="EndpointDataSource"/>, has one row in <see cref="Table"/>:
/// who may call it. The test calls each endpoint as each persona (anonymous, two volunteers, the managers of two
/// communities, a study lead, an admin) and checks that whoever is not allowed is turned away (401, 403, 404, or sent to
/// the sign-in or denied page), and that whoever is allowed gets through on GET. Rows whose address names an object of
/// a community ({cert}, {admission}, ...) run twice, once with community X's object and once with Y's, so "Owner" and
/// "Manager" mean the owner and manager of that object and "OtherVolunteer"/"OtherManager" the people of the other
/// community. POSTs are checked for denials only: an allowed POST would change the objects the other rows use.
/// A new endpoint without a row fails <see cref="EveryEndpoint_HasAnAccessDecision"/> with its name.
/// </summary>
public sealed class EndpointAccessMatrixTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    /// <summary>The access decisions: "METHOD route-pattern" → the address to call → who may.</summary>
    internal static readonly Rule[] Table =
    [
        // Home, errors, health, culture: open to everyone.
        Allow("GET ", "/", Everyone),
        // The conventional route reaches no action: every controller is attribute-routed.
        Allow("* {controller=Home}/{action=Index}/{id?}", "/Home/Index", Everyone).Expecting(HttpStatusCode.NotFound),
        // The error page says what an unhandled exception says, with its status.
        Allow("* error", "/error", Everyone).Expecting(HttpStatusCode.InternalServerError),
        Allow("* error/{code:int}", "/error/400", Everyone).Expecting(HttpStatusCode.BadRequest),
        Allow("* /health", "/health", Everyone),
        Allow("GET /ping", "/ping", Everyone),
        // How to report a security problem (RFC 9116).
        Allow("GET .well-known/security.txt", "/.well-known/security.txt", Everyone),
        Allow("POST culture", "/culture", Everyone),

        // Accounts: the forms before sign-in are public; the rest needs a session.
        Allow("GET account/sign-in", "/account/sign-in", Everyone),
        Allow("POST account/sign-in", "/account/sign-in", Everyone),
        Allow("POST account/sign-out", "/account/sign-out", Everyone),
        Allow("GET account/register", "/account/register", Everyone),
        Allow("POST account/register", "/account/register", Everyone),
        Allow("GET account/confirm", "/account/confirm", Everyone),
        Allow("GET account/denied", "/account/denied", Everyone).Expecting(HttpStatusCode.Forbidden),
        Allow("GET account/lockout", "/account/lockout", Everyone),
        Allow("GET account/forgot-password", "/account/forgot-password", Everyone),
        Allow("POST account/forgot-password", "/account/forgot-password", Everyone),
        Allow("GET account/reset-password", "/account/reset-password", Everyone),
        Allow("POST account/reset-password", "/account/reset-password", Everyone),
        Allow("GET account/register/done", "/account/register/done", SignedIn),
        Allow("POST account/confirm/resend", "/account/confirm/resend", SignedIn),
        Allow("GET account/change-password", "/account/change-password", SignedIn),
        Allow("POST account/change-password", "/account/change-password", SignedIn),
        Allow("GET account/profile", "/account/profile", SignedIn),
        Allow("POST account/profile", "/account/profile", SignedIn),
        Allow("GET account/security", "/account/security", SignedIn),
        // Everything the site holds about the person asking, and only them (PIPL).
        Allow("GET account/data/export", "/account/data/export", SignedIn),
        // Asking for one's own data to be erased (PIPL); the admins decide (DataDeletionTests).
        Allow("GET account/data/delete", "/account/data/delete", SignedIn),
        Allow("POST account/data/delete", "/account/data/delete", SignedIn),
        Allow("POST account/security/key", "/account/security/key", SignedIn),
        Allow("POST account/security/verify", "/account/security/verify", SignedIn),
        Allow("POST account/security/recovery-codes", "/account/security/recovery-codes", SignedIn),
        Allow("POST account/security/disable", "/account/security/disable", SignedIn),
        Allow("POST account/security/sign-out-everywhere", "/account/security/sign-out-everywhere", SignedIn),
        // The second step of signing in: without a password step behind it, it sends everyone back to the first.
        Allow("GET account/sign-in/two-factor", "/account/sign-in/two-factor", Everyone).Expecting(HttpStatusCode.Redirect),
        Allow("POST account/sign-in/two-factor", "/account/sign-in/two-factor", Everyone),

        // A person's own journey.
        Allow("GET me", "/me", SignedIn),
        Allow("GET tracks/start", "/tracks/start", SignedIn),
        Allow("POST tracks/start", "/tracks/start", SignedIn),
        Allow("GET tracks/{track}", "/tracks/volunteer", SignedIn),
        Allow("POST tracks/volunteer", "/tracks/volunteer", SignedIn),
        Allow("POST tracks/serviceprovider", "/tracks/serviceprovider", SignedIn),
        Allow("POST tracks/researcher", "/tracks/researcher", SignedIn),
        Allow("GET notifications", "/notifications", SignedIn),
        Allow("POST notifications/read-all", "/notifications/read-all", SignedIn),
        Allow("POST notifications/{id:long}/read", "/notifications/{notification}/read", Owner),
        Allow("GET training", "/training", SignedIn),
        // A module is found only by people whose learning path has it (the volunteers and the researcher here).
        Allow("GET training/modules/{id}", "/training/modules/{module}", Owner | OtherVolunteer | Lead),
        Allow("GET training/modules/{id}/lessons/{number:int}", "/training/modules/{module}/lessons/1", Owner | OtherVolunteer | Lead),
        Allow("POST training/modules/{id}/lessons/{number:int}/read", "/training/modules/{module}/lessons/1/read", SignedIn),
        Allow("POST training/modules/{id}/attempts", "/training/modules/{module}/attempts", SignedIn),
        Allow("GET training/attempts/{attemptId:guid}", "/training/attempts/{attempt}", Owner),
        Allow("POST training/attempts/{attemptId:guid}", "/training/attempts/{attempt}", Owner),
        Allow("GET agreements/sign/{admissionId:int}", "/agreements/sign/{admission}", Owner),
        Allow("POST agreements/sign/{admissionId:int}", "/agreements/sign/{admission}", Owner),
        // The guardian's link carries its own secret token and needs no account.
        Allow("GET agreements/guardian/{token}", "/agreements/guardian/not-a-token", Everyone),
        Allow("POST agreements/guardian/{token}", "/agreements/guardian/not-a-token", Everyone),

        // Documents of a certificate or a signature: the holder and the managers of its community.
        Allow("GET certificates/{number}/pdf", "/certificates/{cert}/pdf", Owner | Manager | Admin),
        Allow("GET certificates/{number}/openbadge", "/certificates/{cert}/openbadge", Owner | Manager | Admin),
        Allow("GET agreements/signatures/{id:long}/pdf", "/agreements/signatures/{signature}/pdf", Owner | Manager | Admin),

        // Public verification and the Open Badges issuer documents.
        Allow("GET verify", "/verify", Everyone),
        Allow("GET verify/find", "/verify/find?code={code}", Everyone),
        Allow("GET verify/{code}", "/verify/{code}", Everyone),
        Allow("GET verify/credential", "/verify/credential", Everyone),
        Allow("POST verify/credential", "/verify/credential", Everyone),
        Allow("GET ob/issuer", "/ob/issuer", Everyone),
        Allow("GET ob/issuer/jwks", "/ob/issuer/jwks", Everyone),
        Allow("GET ob/achievements/{letter}", "/ob/achievements/V", Everyone),
        Allow("GET ob/status/{code}", "/ob/status/{code}", Everyone),
        Allow("GET communities/{code}/studies", "/communities/{communityCode}/studies", Everyone),

        // The manager console: the managers of the object's community (CommunityAccess) and admins.
        Allow("GET manage", "/manage?community={community}", Manager | Admin),
        Allow("GET manage/scope", "/manage/scope", Staff),
        Allow("GET manage/roster", "/manage/roster?community={community}", Manager | Admin),
        Allow("GET manage/roster/export", "/manage/roster/export?community={community}", Manager | Admin),
        Allow("GET manage/people/{userId}", "/manage/people/{user}", Manager | Admin),
        Allow("GET manage/certificates/{number}", "/manage/certificates/{cert}", Manager | Admin),
        Allow("POST manage/certificates/{number}/status", "/manage/certificates/{cert}/status", Manager | Admin),
        Allow("GET manage/countersign/{signatureId:long}", "/manage/countersign/{providerSignature}", Manager | Admin),
        Allow("POST manage/countersign/{signatureId:long}", "/manage/countersign/{providerSignature}", Manager | Admin),
        Allow("POST manage/admissions/{id:int}/decision", "/manage/admissions/{providerAdmission}/decision", Manager | Admin),
        Allow("POST manage/admissions/{id:int}/withdraw", "/manage/admissions/{admission}/withdraw", Manager | Admin),
        Allow("GET manage/invite", "/manage/invite?community={community}", Manager | Admin),
        Allow("POST manage/invite", "/manage/invite?community={community}", Manager | Admin),
        Allow("GET manage/verify", "/manage/verify", Staff),
        Allow("GET manage/verify/bulk", "/manage/verify/bulk", Staff),
        Allow("POST manage/verify/bulk", "/manage/verify/bulk", Staff),

        // Studies: the list is for everyone signed in; a study's lead (and admins) edit it and decide on members;
        // the managers of its communities consent and see its roster. The study used is in community X.
        Allow("GET studies", "/studies", SignedIn),
        Allow("GET studies/new", "/studies/new", SignedIn),
        Allow("POST studies/new", "/studies/new", SignedIn),
        Allow("GET studies/{id:int}", "/studies/{study}", SignedIn),
        Allow("GET studies/{id:int}/edit", "/studies/{study}/edit", Lead | Admin),
        Allow("POST studies/{id:int}/edit", "/studies/{study}/edit", Lead | Admin),
        Allow("POST studies/{id:int}/publish", "/studies/{study}/publish", Lead | Admin),
        Allow("POST studies/{id:int}/withdraw", "/studies/{study}/withdraw", Lead | Admin),
        Allow("POST studies/{id:int}/consent/{communityId:int}", "/studies/{study}/consent/{community}", Manager | Admin),
        Allow("GET studies/{id:int}/roster", "/studies/{study}/roster", Lead | Manager | Admin),
        Allow("GET studies/{id:int}/roster/export", "/studies/{study}/roster/export", Lead | Manager | Admin),
        Allow("GET studies/{id:int}/join", "/studies/{study}/join", SignedIn),
        Allow("POST studies/{id:int}/join", "/studies/{study}/join", SignedIn),
        Allow("POST studies/{id:int}/enrolments/{enrolmentId:int}/decision", "/studies/{study}/enrolments/999999/decision", Lead | Admin),
        Allow("POST studies/{id:int}/enrolments/{enrolmentId:int}/end", "/studies/{study}/enrolments/999999/end", Lead | Admin),

        // Service hours. Activities are listed to everyone signed in and open to sign-up by credential (HoursTests);
        // organising needs a manager of the activity's community (or a delegated provider, HoursScopingTests);
        // approving and exporting hours is the managers'; the service record and its documents are the holder's.
        Allow("GET activities", "/activities", SignedIn),
        Allow("POST activities/{id:int}/sign-up", "/activities/{activity}/sign-up", SignedIn),
        Allow("POST activities/{id:int}/cancel", "/activities/{activity}/cancel", SignedIn),
        Allow("GET activities/{id:int}/scan/{code}", "/activities/{activity}/scan/{checkIn}", SignedIn).DenyOnly(),
        Allow("POST activities/{id:int}/scan/{code}", "/activities/{activity}/scan/{checkIn}", SignedIn),
        Allow("GET organise", "/organise", SignedIn).DenyOnly(),
        // The empty form: a manager elsewhere sees their own communities to choose from (posting for another is 404).
        Allow("GET organise/new", "/organise/new?community={community}", Staff),
        Allow("POST organise/new", "/organise/new", Staff),
        Allow("GET organise/{id:int}", "/organise/{activity}", Manager | Admin),
        Allow("POST organise/{id:int}/check-in/{signUpId:int}", "/organise/{activity}/check-in/{signUp}", Manager | Admin),
        Allow("POST organise/{id:int}/check-out/{signUpId:int}", "/organise/{activity}/check-out/{signUp}", Manager | Admin),
        Allow("GET manage/hours", "/manage/hours?community={community}", Manager | Admin),
        Allow("POST manage/hours/approve", "/manage/hours/approve", Staff),
        Allow("GET manage/hours/{id:long}", "/manage/hours/{hours}", Manager | Admin),
        Allow("POST manage/hours/{id:long}/adjust", "/manage/hours/{hours}/adjust", Manager | Admin),
        Allow("POST manage/hours/{id:long}/reject", "/manage/hours/{hours}/reject", Manager | Admin),
        Allow("GET manage/hours/export", "/manage/hours/export?community={community}", Manager | Admin),
        Allow("GET manage/hours/organisers", "/manage/hours/organisers?community={community}", Manager | Admin),
        Allow("POST manage/hours/organisers", "/manage/hours/organisers", Staff),
        Allow("POST manage/hours/organisers/{id:int}/revoke", "/manage/hours/organisers/{organiser}/revoke", Manager | Admin),
        Allow("GET me/hours", "/me/hours", SignedIn),
        Allow("POST me/hours/certificates", "/me/hours/certificates", SignedIn),
        Allow("GET me/hours/certificates/{number}/pdf", "/me/hours/certificates/{hoursCert}/pdf", Owner),
        Allow("GET me/hours/off-site", "/me/hours/off-site", SignedIn),
        Allow("POST me/hours/off-site", "/me/hours/off-site", SignedIn),
        Allow("GET verify/hours/{code}", "/verify/hours/{hoursCode}", Everyone),

        // Training admin and site admin.
        Allow("GET training/admin", "/training/admin", Admin),
        Allow("POST training/admin/reset", "/training/admin/reset", Admin),
        Allow("GET admin/clients", "/admin/clients", Admin),
        Allow("GET admin/clients/new", "/admin/clients/new", Admin),
        Allow("POST admin/clients/new", "/admin/clients/new", Admin),
        Allow("GET admin/clients/{clientId}", "/admin/clients/{client}", Admin),
        Allow("POST admin/clients/{clientId}/disable", "/admin/clients/{client}/disable", Admin),
        Allow("POST admin/clients/{clientId}/rotate", "/admin/clients/{client}/rotate", Admin),
        Allow("GET admin/mail", "/admin/mail", Admin),
        // Mail copies exist only with a pickup folder (Development); here an admin's request finds none.
        Allow("GET admin/mail/{id}", "/admin/mail/20260302T010000-x", Admin).DenyOnly(),
        Allow("GET admin/outbox", "/admin/outbox", Admin),
        Allow("GET admin/audit", "/admin/audit", Admin),
        // People's accounts: find, disable with a reason, re-enable (DisablePersonTests).
        Allow("GET admin/people", "/admin/people?q=a", Admin),
        Allow("GET admin/people/{id}", "/admin/people/{user}", Admin),
        Allow("POST admin/people/{id}/disable", "/admin/people/{user}/disable", Admin),
        Allow("POST admin/people/{id}/enable", "/admin/people/{user}/enable", Admin),
        Allow("GET admin/deletions", "/admin/deletions", Admin),
        Allow("POST admin/deletions/{id:int}/approve", "/admin/deletions/{deletion}/approve", Admin),
        Allow("POST admin/deletions/{id:int}/reject", "/admin/deletions/{deletion}/reject", Admin),
        Allow("POST admin/outbox/{id:long}/retry", "/admin/outbox/{outbox}/retry", Admin),
        // The clock exists in Development only: elsewhere it is not found, for admins too.
        Allow("GET admin/clock", "/admin/clock", Admin).DenyOnly(),
        Allow("POST admin/clock/advance", "/admin/clock/advance", Admin),
        Allow("POST admin/clock/reset", "/admin/clock/reset", Admin),

        // The partner API takes bearer tokens only: a browser's cookie gets 401 (tokens and scopes: PartnerApiTests).
        Allow("GET /api/v1/credentials/{number}", "/api/v1/credentials/{cert}", Nobody).Expecting(HttpStatusCode.Unauthorized),
        Allow("GET /api/v1/communities/{id:int}/roster", "/api/v1/communities/{community}/roster", Nobody).Expecting(HttpStatusCode.Unauthorized),
        Allow("GET /openapi/{documentName}.json", "/openapi/v1.json", Everyone),
        Allow("GET /api/docs/{documentName?}", "/api/docs", Everyone),
        Allow("GET /api/docs/scalar.js", "/api/docs/scalar.js", Everyone),
        Allow("GET /api/docs/scalar.aspnetcore.js", "/api/docs/scalar.aspnetcore.js", Everyone),
        Allow("GET /api/docs/favicon.svg", "/api/docs/favicon.svg", Everyone),

        // OpenID Connect protocol endpoints: OpenIddict validates the client, the request and the token itself
        // (covered by OpenIdConnectFlowTests and SignInPolicyTests); userinfo needs a bearer token.
        Protocol("GET connect/authorize"),
        Protocol("POST connect/authorize"),
        Protocol("POST connect/token"),
        Protocol("GET connect/endsession"),
        Protocol("POST connect/endsession"),
        Allow("GET connect/userinfo", "/connect/userinfo", Nobody),
        Allow("POST connect/userinfo", "/connect/userinfo", Nobody),
    ];

    [Fact]
    public void EveryEndpoint_HasAnAccessDecision()
    {
        var endpoints = Endpoints(world.Site.Services);
        var decided = Table.Select(r => r.Endpoint).ToHashSet();
        var missing = endpoints.Where(e => !decided.Contains(e)).ToList();
        Assert.True(missing.Count == 0,
            "Endpoints without an access decision; add a row to EndpointAccessMatrixTests.Table for each:\n" + string.Join("\n", missing));
        var stale = decided.Where(d => !endpoints.Contains(d)).ToList();
        Assert.True(stale.Count == 0, "Rows for endpoints that no longer exist:\n" + string.Join("\n", stale));
        Assert.True(Table.Length == decided.Count, "An endpoint has more than one row.");
    }

    [Fact]
    public async Task EveryPersona_GetsExactlyWhatTheTableAllows()
    {
        var failures = new List<string>();
        var calls = 0;
        foreach (var rule in Table.Where(r => r.Url is not null))
        {
            var sides = rule.Url!.Contains('{') && SideKeys.Any(k => rule.Url.Contains("{" + k + "}", StringComparison.Ordinal))
                ? new (Side, Func<Persona, Access>)[] { (world.X, Relative.ForX), (world.Y, Relative.ForY) }
                : new (Side, Func<Persona, Access>)[] { (world.X, Relative.ForX) };
            foreach (var (side, relative) in sides)
            {
                var url = Fill(rule.Url, side);
                foreach (var persona in Enum.GetValues<Persona>())
                {
                    var allowed = rule.Allowed.HasFlag(relative(persona));
                    if (allowed && (rule.Method is not ("GET" or "*") || rule.OnlyDenials))
                    {
                        continue;
                    }
                    calls++;
                    var response = await SendAsync(rule.Method, url, persona);
                    var outcome = Describe(response);
                    if (response.StatusCode >= HttpStatusCode.InternalServerError && response.StatusCode != rule.Expected)
                    {
                        failures.Add($"{rule.Endpoint} as {persona} ({url}): server error {outcome}");
                    }
                    else if (allowed && (rule.Expected is { } expected ? response.StatusCode != expected : IsDenial(response)))
                    {
                        failures.Add($"{rule.Endpoint} as {persona} ({url}): should be allowed, got {outcome}");
                    }
                    else if (!allowed && !IsDenial(response))
                    {
                        failures.Add($"{rule.Endpoint} as {persona} ({url}): should be denied, got {outcome}");
                    }
                    else if (!allowed && rule.Expected is { } status && response.StatusCode != status)
                    {
                        failures.Add($"{rule.Endpoint} as {persona} ({url}): expected {(int)status}, got {outcome}");
                    }
                }
            }
        }
        Assert.True(calls > 300, $"Only {calls} calls were made.");
        // The denied posts changed nothing: both certificates stand, both admissions are active, the notices unread.
        foreach (var side in new[] { world.X, world.Y })
        {
            var number = side.Values["cert"];
            Assert.Null(await world.Site.WithDbAsync(db => db.Certificates.Where(c => c.Number == number).Select(c => c.RevokedAt).SingleAsync()));
            var admission = int.Parse(side.Values["admission"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Practitioners.Web.Features.Admissions.AdmissionState.Active,
                await world.Site.WithDbAsync(db => db.Admissions.Where(a => a.Id == admission).Select(a => a.State).SingleAsync()));
        }
        Assert.False(await world.Site.WithDbAsync(db => db.Notifications.AnyAsync(n => n.ReadAt != null)));
        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} calls broke the access table:\n" + string.Join("\n", failures));
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string url, Persona persona)
    {
        var client = world.Clients[persona];
        if (method is "GET" or "*")
        {
            return await client.GetAsync(url);
        }
        // A real form post with the persona's own antiforgery token and harmless fields: only the access check is under test.
        using var request = new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", world.Tokens[persona]), new("Reason", "matrix")]),
        };
        return await client.SendAsync(request);
    }

    internal static HashSet<string> Endpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();

    private static bool IsDenial(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
        || (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther
            && response.Headers.Location?.OriginalString is { } location
            && (location.Contains("/account/sign-in", StringComparison.Ordinal) || location.Contains("/account/denied", StringComparison.Ordinal)));

    private static string Describe(HttpResponseMessage response) =>
        $"{(int)response.StatusCode}{(response.Headers.Location is { } l ? " → " + l.OriginalString : "")}";

    private static readonly string[] SideKeys =
        ["community", "communityCode", "user", "admission", "providerAdmission", "signature", "providerSignature", "cert", "code", "notification", "attempt"];

    private string Fill(string template, Side side)
    {
        var url = Regex.Replace(template, @"\{(\w+)\}", m =>
            side.Values.TryGetValue(m.Groups[1].Value, out var v) ? Uri.EscapeDataString(v)
            : world.Shared.TryGetValue(m.Groups[1].Value, out var s) ? Uri.EscapeDataString(s)
            : throw new InvalidOperationException($"No value for {{{m.Groups[1].Value}}} in {template}"));
        return url;
    }

    /// <summary>Maps a persona to its role towards one side's objects.</summary>
    private static class Relative
    {
        public static Access ForX(Persona p) => p switch
        {
            Persona.Anonymous => Access.Anonymous,
            Persona.VolunteerA => Owner,
            Persona.VolunteerB => OtherVolunteer,
            Persona.ManagerX => Manager,
            Persona.ManagerY => OtherManager,
            Persona.StudyLead => Lead,
            _ => Access.Admin,
        };

        public static Access ForY(Persona p) => p switch
        {
            Persona.VolunteerA => OtherVolunteer,
            Persona.VolunteerB => Owner,
            Persona.ManagerX => OtherManager,
            Persona.ManagerY => Manager,
            _ => ForX(p),
        };
    }
}

/// <summary>Who may call an endpoint, relative to the object it is called with.</summary>
[Flags]
public enum Access
{
    Nobody = 0,
    Anonymous = 1,
    /// <summary>The volunteer the object belongs to (their certificate, signature, admission, attempt).</summary>
    Owner = 2,
    /// <summary>The volunteer of the other community.</summary>
    OtherVolunteer = 4,
    /// <summary>The manager of the object's community.</summary>
    Manager = 8,
    /// <summary>The manager of the other community.</summary>
    OtherManager = 16,
    /// <summary>The lead of the study used (a researcher with no role in X or Y).</summary>
    Lead = 32,
    Admin = 64,
    SignedIn = Owner | OtherVolunteer | Manager | OtherManager | Lead | Admin,
    Everyone = Anonymous | SignedIn,
    Staff = Manager | OtherManager | Admin,
}

/// <summary>One row of the access table.</summary>
public sealed record Rule(string Endpoint, string? Url, Access Allowed, bool OnlyDenials = false, HttpStatusCode? Expected = null)
{
    public string Method => Endpoint[..Endpoint.IndexOf(' ', StringComparison.Ordinal)];

    public static Rule Allow(string endpoint, string url, Access allowed) => new(endpoint, url, allowed);

    /// <summary>An endpoint whose access is decided by the protocol it implements, tested where that protocol is.</summary>
    public static Rule Protocol(string endpoint) => new(endpoint, null, Access.Nobody);

    /// <summary>Only the denials are checked (the allowed people would get a 404 for a reason unrelated to access).</summary>
    public Rule DenyOnly() => this with { OnlyDenials = true };

    /// <summary>The exact status expected (for an allowed persona, instead of "not a denial"; for a denied one, instead of any denial).</summary>
    public Rule Expecting(HttpStatusCode status) => this with { Expected = status };

    public override string ToString()
    {
        var text = new StringBuilder(Endpoint);
        return text.Append(" → ").Append(Allowed).ToString();
    }
}
