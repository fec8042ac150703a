using Practitioners.Web.Features.Admissions;

namespace Practitioners.Web.Features.Training;

public static class TrainingSetup
{
    public static WebApplicationBuilder AddTraining(this WebApplicationBuilder builder)
    {
        var folder = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, builder.Configuration["Content:Folder"] ?? "content"));
        builder.Services.AddSingleton<IContentSource>(new FolderContentSource(folder));
        builder.Services.AddSingleton<LessonRenderer>();
        builder.Services.AddSingleton<ModuleBodyCache>();
        builder.Services.AddScoped<ContentSync>();
        builder.Services.AddScoped<LearnerProgress>();
        builder.Services.AddScoped<AdvanceAdmissions>();
        builder.Services.AddScoped<StartQuizAttempt>();
        builder.Services.AddScoped<SubmitQuiz>();
        builder.Services.AddScoped<MarkLessonRead>();
        return builder;
    }

    /// <summary>
    /// Publishes content/ (modules, paths and agreements) at start-up. Problems are logged and the modules concerned are held back
    /// (training admins see why); the site still starts.
    /// </summary>
    public static async Task SyncContentAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var read = scope.ServiceProvider.GetRequiredService<IContentSource>().Read();
        await scope.ServiceProvider.GetRequiredService<ContentSync>().RunAsync(read, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<Agreements.AgreementSync>().RunAsync(read, CancellationToken.None);
    }
}
