using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Text;

namespace Kazan.Features.Pipelines;

/// <summary>
/// A sales process: an ordered list of stages the company defines. Won and Lost are outcomes of an opportunity,
/// never stages. One pipeline of the organization is the default.
/// </summary>
public sealed class Pipeline : ITenantEntity, IVersioned
{
    /// <summary>A pipeline with more stages than this is a list of statuses, not a process; boards become unreadable.</summary>
    public const int MaxStages = 30;

    private static readonly HashSet<string> OutcomeNames = new(StringComparer.Ordinal)
    {
        "won", "lost", "kazanildi", "kaybedildi", "kazanilan", "kaybedilen", "kazanma", "kaybetme",
    };

    private readonly List<Stage> _stages = [];

    private Pipeline()
    {
        Name = "";
    }

    public Pipeline(Guid organizationId, string name, bool isDefault) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        IsDefault = isDefault;
        Rename(name);
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Name { get; private set; }
    public bool IsDefault { get; internal set; }
    public bool IsArchived { get; private set; }
    public int Version { get; private set; }

    /// <summary>In process order.</summary>
    public IReadOnlyList<Stage> Stages => _stages.OrderBy(s => s.Position).ToList();

    public void Rename(string name)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
        {
            throw new DomainRuleException("A pipeline name must be 1 to 100 characters.", "pipeline.name");
        }

        Name = name;
    }

    public Stage AddStage(string name, int probability, int? rottingDays = null, int? position = null, ForecastCategory? forecastCategory = null)
    {
        if (_stages.Count >= MaxStages)
        {
            throw new DomainRuleException($"A pipeline has at most {MaxStages} stages.", "pipeline.too-many-stages");
        }

        var stage = new Stage(OrganizationId, Id, CheckName(name, null), CheckProbability(probability), CheckRotting(rottingDays));
        stage.ForecastCategory = forecastCategory ?? ForecastCategories.ForProbability(stage.Probability);
        var ordered = Stages.ToList();
        var at = position is null ? ordered.Count : Math.Clamp(position.Value, 0, ordered.Count);
        ordered.Insert(at, stage);
        _stages.Add(stage);
        Renumber(ordered);
        return stage;
    }

    public Stage Stage(Guid stageId) =>
        _stages.FirstOrDefault(s => s.Id == stageId)
        ?? throw new DomainRuleException("That stage does not belong to this pipeline.", "pipeline.unknown-stage");

    public bool HasStage(Guid stageId) => _stages.Any(s => s.Id == stageId);

    /// <summary>Changes a stage; without a forecast category it keeps its own (null never resets it).</summary>
    public void UpdateStage(Guid stageId, string name, int probability, int? rottingDays, ForecastCategory? forecastCategory = null)
    {
        var stage = Stage(stageId);
        stage.Name = CheckName(name, stageId);
        stage.Probability = CheckProbability(probability);
        stage.RottingDays = CheckRotting(rottingDays);
        stage.ForecastCategory = forecastCategory ?? stage.ForecastCategory;
    }

    /// <summary>Puts the stages in the given order; the list must name every stage exactly once.</summary>
    public void Reorder(IReadOnlyList<Guid> stageIds)
    {
        if (stageIds.Count != _stages.Count || stageIds.Distinct().Count() != _stages.Count || !stageIds.All(HasStage))
        {
            throw new DomainRuleException("A new order must list every stage of the pipeline exactly once.", "pipeline.reorder");
        }

        Renumber(stageIds.Select(Stage).ToList());
    }

    /// <summary>
    /// Removes a stage. If it still holds opportunities (open or closed: they all point at it), the caller must name the
    /// stage they move to, and move them (with history, see <c>Opportunity.ReassignStage</c>) in the same transaction.
    /// </summary>
    public void RemoveStage(Guid stageId, bool holdsOpportunities, Guid? moveToStageId)
    {
        var stage = EnsureCanRemoveStage(stageId, holdsOpportunities, moveToStageId);
        _stages.Remove(stage);
        Renumber(Stages.ToList());
    }

    /// <summary>The checks of <see cref="RemoveStage"/> without removing: run before moving the stage's opportunities.</summary>
    public Stage EnsureCanRemoveStage(Guid stageId, bool holdsOpportunities, Guid? moveToStageId)
    {
        var stage = Stage(stageId);
        if (_stages.Count == 1)
        {
            throw new DomainRuleException("A pipeline needs at least one stage.", "pipeline.last-stage");
        }

        if (holdsOpportunities)
        {
            if (moveToStageId is null)
            {
                throw new DomainRuleException(
                    $"The stage '{stage.Name}' still holds opportunities: name the stage they move to.", "pipeline.stage-not-empty", stage.Name);
            }

            if (moveToStageId == stageId || !HasStage(moveToStageId.Value))
            {
                throw new DomainRuleException("Opportunities can only move to another stage of the same pipeline.", "pipeline.unknown-stage");
            }
        }

        return stage;
    }

    public void Archive()
    {
        if (IsDefault)
        {
            throw new DomainRuleException("The default pipeline cannot be archived; make another one the default first.", "pipeline.default");
        }

        IsArchived = true;
    }

    public void Restore() => IsArchived = false;

    /// <summary>
    /// Makes this the organization's one default pipeline; <paramref name="allPipelines"/> are the organization's
    /// pipelines (this one included), whose default flag is cleared.
    /// </summary>
    public void MakeDefault(IEnumerable<Pipeline> allPipelines)
    {
        if (IsArchived)
        {
            throw new DomainRuleException("An archived pipeline cannot be the default; restore it first.", "pipeline.archived");
        }

        foreach (var other in allPipelines)
        {
            other.IsDefault = false;
        }

        IsDefault = true;
    }

    private string CheckName(string name, Guid? self)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
        {
            throw new DomainRuleException("A stage name must be 1 to 100 characters.", "stage.name");
        }

        var folded = TurkishText.Fold(name);
        if (OutcomeNames.Contains(folded))
        {
            throw new DomainRuleException("Won and Lost are outcomes of an opportunity, not stages.", "stage.outcome-name");
        }

        if (_stages.Any(s => s.Id != self && TurkishText.Fold(s.Name) == folded))
        {
            throw new DomainRuleException($"This pipeline already has a stage named '{name}'.", "stage.duplicate", name);
        }

        return name;
    }

    private static int CheckProbability(int probability) =>
        probability is >= 0 and <= 100
            ? probability
            : throw new DomainRuleException("A win probability is between 0 and 100.", "stage.probability");

    private static int? CheckRotting(int? days) =>
        days is null or (>= 1 and <= 3650)
            ? days
            : throw new DomainRuleException("Rotting days are between 1 and 3650, or empty for never.", "stage.rotting");

    private static void Renumber(List<Stage> ordered)
    {
        for (var i = 0; i < ordered.Count; i++)
        {
            ordered[i].Position = i;
        }
    }
}

/// <summary>A step of a pipeline with its default win probability and how many idle days make a deal "rotting".</summary>
public sealed class Stage : ITenantEntity
{
    private Stage()
    {
        Name = "";
    }

    internal Stage(Guid organizationId, Guid pipelineId, string name, int probability, int? rottingDays) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        PipelineId = pipelineId;
        Name = name;
        Probability = probability;
        RottingDays = rottingDays;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid PipelineId { get; private set; }
    public string Name { get; internal set; }
    public int Position { get; internal set; }

    /// <summary>Default win probability, 0–100.</summary>
    public int Probability { get; internal set; }

    /// <summary>An open opportunity with no activity for this many days in this stage is flagged; null: never.</summary>
    public int? RottingDays { get; internal set; }

    /// <summary>The forecast category of the deals in this stage, unless a deal overrides it.</summary>
    public ForecastCategory ForecastCategory { get; internal set; }
}

/// <summary>Why deals are lost ("Fiyat", "Rakip", …): an organization list, required when marking an opportunity lost.</summary>
public sealed class LostReason : ITenantEntity, IVersioned
{
    private LostReason()
    {
        Name = "";
    }

    public LostReason(Guid organizationId, string name, int position) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        Rename(name);
        Position = position;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Name { get; private set; }
    public int Position { get; set; }

    /// <summary>An inactive reason stays on the deals that used it but is no longer offered.</summary>
    public bool IsActive { get; private set; } = true;

    public int Version { get; private set; }

    public void Deactivate() => IsActive = false;

    public void Activate() => IsActive = true;

    /// <summary>Puts the organization's reasons in the given order; the list must name every reason exactly once.</summary>
    public static void Reorder(IReadOnlyList<LostReason> all, IReadOnlyList<Guid> order)
    {
        if (order.Count != all.Count || order.Distinct().Count() != all.Count || !order.All(id => all.Any(r => r.Id == id)))
        {
            throw new DomainRuleException("A new order must list every lost reason exactly once.", "lost-reason.reorder");
        }

        for (var i = 0; i < order.Count; i++)
        {
            all.First(r => r.Id == order[i]).Position = i;
        }
    }

    public void Rename(string name)
    {
        name = name.Trim();
        Name = name.Length is > 0 and <= 100
            ? name
            : throw new DomainRuleException("A lost reason must be 1 to 100 characters.", "lost-reason.name");
    }
}
