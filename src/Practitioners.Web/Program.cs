using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Communities;
using Practitioners.Web.Features.Hours;
using Practitioners.Web.Features.Manage;
using Practitioners.Web.Features.Partners;
using Practitioners.Web.Features.Privacy;
using Practitioners.Web.Features.Studies;
using Practitioners.Web.Features.Reminders;
using Practitioners.Web.Features.Training;
using Practitioners.Web.Features.Training.Content;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Jobs;
using Practitioners.Web.Infrastructure.Pdf;
using Practitioners.Web.Infrastructure.Web;

if (ContentCommand.Handles(args))
{
    return ContentCommand.Run(args, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddRepositorySettings();
builder.AddData();
builder.AddWebUi();
builder.AddEmail();
builder.AddPdf();
builder.AddAccounts();
builder.AddAudit();
builder.AddPrivacy();
builder.AddCommunities();
builder.AddAdmissions();
builder.AddTraining();
builder.AddAgreements();
builder.AddCertificates();
builder.AddManagerConsole();
builder.AddPartners();
builder.AddStudies();
builder.AddHours();
builder.AddReminders();
builder.AddJobs();

var app = builder.Build();

await app.MigrateAsync();
await app.SyncContentAsync();
await app.SeedDemoDataAsync();
await app.SeedPartnerClientsAsync();
app.UseWebUi();
app.MapWebUi();
app.MapPartners();

await app.RunAsync();
return 0;

public partial class Program;
