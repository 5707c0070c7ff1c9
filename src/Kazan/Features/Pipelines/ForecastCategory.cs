namespace Kazan.Features.Pipelines;

/// <summary>
/// How sure the team is that an open deal closes in its period, the forecast's split: Commit (will close), Best case
/// (could close), Pipeline (in play, not expected this period) and Omitted (left out of the forecast). Every stage has a
/// default; a deal may override it. A won deal counts as Commit and a lost one as Omitted.
/// </summary>
public enum ForecastCategory
{
    Pipeline,
    BestCase,
    Commit,
    Omitted,
}

public static class ForecastCategories
{
    /// <summary>The default for a stage that names none: from 75 % Commit, from 40 % Best case, else Pipeline.</summary>
    public static ForecastCategory ForProbability(int probability) =>
        probability >= 75 ? ForecastCategory.Commit : probability >= 40 ? ForecastCategory.BestCase : ForecastCategory.Pipeline;
}
