namespace Practitioners.Web.Features.Admissions;

/// <summary>What an admission still needs, derived from its state and its community's rules.</summary>
public static class Requirements
{
    public static IReadOnlyList<RequirementItem> For(AdmissionState state, bool communityRequiresApproval)
    {
        var rank = state switch
        {
            AdmissionState.Applied => 0,
            AdmissionState.InTraining => 0,
            AdmissionState.AwaitingSignature => 1,
            AdmissionState.AwaitingApproval => 2,
            _ => 3,
        };
        var items = new List<RequirementItem>
        {
            new("Requirement.Profile", true),
            new("Requirement.Training", rank >= 1),
            new("Requirement.Agreement", rank >= 2),
        };
        if (communityRequiresApproval)
        {
            items.Add(new("Requirement.Approval", rank >= 3));
        }
        return items;
    }
}
