namespace Road.Pipeline;

/// <summary>An experiment instance bound to its data: the generator implements this for each experiment class.</summary>
public interface IExperiment
{
    ExperimentSpec Spec { get; }

    /// <summary>The stages RunExperiment runs, in order.</summary>
    StagePlan CreatePlan();
}

/// <summary>A registry entry: an experiment's spec and how to instantiate it over a data catalogue.</summary>
public sealed record ExperimentEntry(ExperimentSpec Spec, Func<DataCatalog, IExperiment> Create);

/// <summary>One stage of a plan: its spec and the generated code that runs it (a call to the stage kind's type,
/// <see cref="Road.Stages.FinetuneStage"/>, <see cref="Road.Stages.TeacherStage"/> or <see cref="Road.Stages.MultiTaskStage"/>).</summary>
public sealed record PlannedStage(StageSpec Spec, Func<Road.Stages.StageContext, Road.Stages.StageResult> Run);

/// <summary>The ordered stages of one experiment.</summary>
public sealed record StagePlan(IReadOnlyList<PlannedStage> Stages);
