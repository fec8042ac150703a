using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Communities;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddRepositorySettings();
builder.AddData();
builder.AddWebUi();
builder.AddEmail();
builder.AddAccounts();
builder.AddAudit();
builder.AddCommunities();
builder.AddAdmissions();

var app = builder.Build();

await app.MigrateAndSeedAsync();
app.UseWebUi();
app.MapWebUi();

await app.RunAsync();

public partial class Program;
