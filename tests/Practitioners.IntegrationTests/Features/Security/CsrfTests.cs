using Practitioners.IntegrationTests.Data;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Security;

/// <summary>
/// Cross-site request forgery: every controller action that accepts an unsafe method is covered by antiforgery
/// validation (read from the filters MVC will run), except the few listed here with their reason; no GET action
/// changes state, by name and by a real sweep of every GET of the access table compared against a fingerprint of the
/// database.
/// </summary>
public sealed class CsrfTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    /// <summary>Unsafe endpoints without antiforgery validation, and why that is safe.</summary>
    private static readonly Dictionary<string, string> Exempt = new()
    {
        ["POST connect/token"] = "OAuth 2.0 token endpoint: clients authenticate with their secret, no browser cookie is used",
        ["POST connect/userinfo"] = "OpenID Connect userinfo: authenticated by bearer access token only, reads and changes nothing",
    };

    /// <summary>GET actions whose name sounds like a change but which only show a page, or are a link that carries its own secret.</summary>
    private static readonly Dictionary<string, string> GetExceptions = new()
    {
        ["AccountController.ConfirmEmail"] = "the emailed link carries a single-use token a forger cannot know; confirming is idempotent",
        ["AuthorizationController.Authorize"] = "OpenID Connect authorization request (protocol): the consent itself is a POST with a token",
        ["AuthorizationController.EndSession"] = "shows the sign-out confirmation; the sign-out itself is a POST with a token",
    };

    private static readonly Regex ChangeVerb = new(
        "^(Delete|Remove|Revoke|Approve|Reject|Decide|Publish|Withdraw|Reset|Advance|Disable|Enable|Rotate|Retry|Mark|Read|Suspend|Reinstate|End|Send|Resend|Issue|Renew|Set|Update|Save|Create|Submit|Start|Cancel|Accept|Decline|Consent|Confirm|Sign|Countersign|Join|Enrol|Invite|Import|Upload|Erase|Anonymise|Disenrol)(?=[A-Z]|$)",
        RegexOptions.CultureInvariant);

    private IReadOnlyList<ControllerActionDescriptor> Actions() =>
        world.Site.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items.OfType<ControllerActionDescriptor>().ToList();

    private static IEnumerable<string> Methods(ControllerActionDescriptor a) =>
        a.EndpointMetadata.OfType<HttpMethodMetadata>().FirstOrDefault()?.HttpMethods ?? ["GET", "POST", "PUT", "PATCH", "DELETE"];

    private static string Name(ControllerActionDescriptor a, string method) => $"{method} {a.AttributeRouteInfo?.Template ?? a.DisplayName}";

    [Fact]
    public void EveryUnsafeControllerAction_ValidatesTheAntiforgeryToken()
    {
        var unsafeActions = Actions()
            .SelectMany(a => Methods(a).Where(m => m is "POST" or "PUT" or "PATCH" or "DELETE").Select(m => (Action: a, Name: Name(a, m))))
            .ToList();
        Assert.True(unsafeActions.Count > 40, $"Only {unsafeActions.Count} unsafe actions found.");
        var unprotected = new List<string>();
        foreach (var (action, name) in unsafeActions)
        {
            // MVC applies the antiforgery policy closest to the action: global < controller < action.
            // (The validating attributes are filter factories; IgnoreAntiforgeryToken is the policy itself.)
            var policy = action.FilterDescriptors
                .Where(f => f.Filter is IAntiforgeryPolicy or AutoValidateAntiforgeryTokenAttribute or ValidateAntiForgeryTokenAttribute)
                .OrderBy(f => f.Scope).ThenBy(f => f.Order).LastOrDefault()?.Filter;
            var validated = policy is AutoValidateAntiforgeryTokenAttribute or ValidateAntiForgeryTokenAttribute;
            if (!validated && !Exempt.ContainsKey(name))
            {
                unprotected.Add($"{name} ({action.DisplayName}): {policy?.GetType().Name ?? "no antiforgery policy"}");
            }
            if (validated && Exempt.ContainsKey(name))
            {
                unprotected.Add($"{name} is listed as exempt but validates tokens: remove it from the list");
            }
        }
        Assert.True(unprotected.Count == 0, "Unsafe actions without antiforgery validation:\n" + string.Join("\n", unprotected));
    }

    [Fact]
    public void NoEndpointOutsideMvc_AcceptsAnUnsafeMethod_ExceptTheHealthCheck()
    {
        var others = world.Site.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ControllerActionDescriptor>() is null)
            // MVC's conventional route only dispatches to controller actions, which the test above covers.
            .Where(e => e.DisplayName?.StartsWith("Route: ", StringComparison.Ordinal) != true)
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is not { } m || m.Any(x => x is not ("GET" or "HEAD")))
            .Select(e => e.RoutePattern.RawText)
            .ToList();
        // The health check answers any method and only reads.
        Assert.Equal(["/health"], others);
    }

    [Fact]
    public void GetActions_HaveNoChangeVerbInTheirName_UnlessTheyShowTheFormOfAPostOfTheSameName()
    {
        var actions = Actions();
        var gets = actions.Where(a => Methods(a).Contains("GET")).ToList();
        Assert.True(gets.Count > 50, $"Only {gets.Count} GET actions found.");
        var posts = actions.Where(a => Methods(a).Contains("POST")).Select(a => $"{a.ControllerName}.{a.ActionName}").ToHashSet();
        var suspicious = gets
            .Where(a => ChangeVerb.IsMatch(a.ActionName))
            .Where(a => !posts.Contains($"{a.ControllerName}.{a.ActionName}"))
            .Select(a => $"{a.ControllerTypeInfo.Name}.{a.ActionName}")
            .Where(n => !GetExceptions.ContainsKey(n))
            .Distinct()
            .ToList();
        Assert.True(suspicious.Count == 0, "GET actions named like a change, without a form of their own:\n" + string.Join("\n", suspicious));
    }

    // It hashes every table by reading the SQLite file; GETs touch the database the same way on either engine.
    [SqliteFact]
    public async Task EveryGetOfTheAccessTable_AsEveryPersona_LeavesTheDatabaseAsItWas()
    {
        var before = await FingerprintAsync();
        var calls = 0;
        foreach (var rule in EndpointAccessMatrixTests.Table.Where(r => r.Url is not null && r.Method is "GET" or "*" && r.Expected != HttpStatusCode.InternalServerError))
        {
            foreach (var side in new[] { world.X, world.Y })
            {
                var url = Regex.Replace(rule.Url!, @"\{(\w+)\}", m => Uri.EscapeDataString(
                    side.Values.TryGetValue(m.Groups[1].Value, out var v) ? v : world.Shared[m.Groups[1].Value]));
                foreach (var client in world.Clients.Values)
                {
                    var response = await client.GetAsync(url);
                    Assert.True(response.StatusCode < HttpStatusCode.InternalServerError, $"GET {url}: {(int)response.StatusCode}");
                    calls++;
                }
            }
        }
        var after = await FingerprintAsync();
        Assert.True(calls > 500, $"Only {calls} calls.");
        var changed = before.Where(kv => after[kv.Key] != kv.Value).Select(kv => kv.Key).ToList();
        Assert.True(changed.Count == 0, "GET requests changed these tables:\n" + string.Join("\n", changed));
    }

    [Fact]
    public async Task APostWithoutToken_OrWithAnotherPersonsToken_IsRefusedWithTheExplanationPage()
    {
        var volunteer = world.Clients[Persona.VolunteerA];
        foreach (var url in new[] { "/account/profile", "/notifications/read-all", "/account/sign-out", "/culture", "/tracks/start" })
        {
            var bare = await volunteer.PostAsync(url, new FormUrlEncodedContent([new("PreferredCulture", "en")]));
            Assert.True(bare.StatusCode == HttpStatusCode.BadRequest, $"POST {url} without a token: {(int)bare.StatusCode}");
            Assert.Contains("表单已过期", await bare.Content.ReadAsStringAsync());

            var foreign = await volunteer.PostAsync(url, new FormUrlEncodedContent([new("__RequestVerificationToken", world.Tokens[Persona.VolunteerB])]));
            Assert.True(foreign.StatusCode == HttpStatusCode.BadRequest, $"POST {url} with B's token: {(int)foreign.StatusCode}");
        }
        // A manager's action forged from another site: no token, no change.
        var manager = world.Clients[Persona.ManagerX];
        var forged = await manager.PostAsync($"/manage/certificates/{world.X.Values["cert"]}/status",
            new FormUrlEncodedContent([new("Action", "Revoke"), new("Reason", "forged")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var number = world.X.Values["cert"];
        Assert.Null(await world.Site.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Certificates.Where(c => c.Number == number).Select(c => c.RevokedAt))));
    }

    /// <summary>A hash of every row of every table that records state (not the audit log, which every verification writes to).</summary>
    private async Task<Dictionary<string, string>> FingerprintAsync()
    {
        var result = new Dictionary<string, string>();
        await using var connection = new SqliteConnection($"Data Source={world.Site.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'QRTZ_%' "
                + "AND name NOT IN ('AuditEvents', 'DataProtectionKeys', '__EFMigrationsHistory') ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid";
            var text = new StringBuilder();
            try
            {
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        text.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                    }
                    text.Append('\n');
                }
            }
            catch (SqliteException)
            {
                // A WITHOUT ROWID table: read it in its key order.
                select.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        text.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                    }
                    text.Append('\n');
                }
            }
            result[table] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
        return result;
    }
}
