using Road.Pipeline;
using Road.Training;
using TorchSharp;

namespace Road.Stages;

/// <summary>
/// Scores the model a finetuning stage trained (its encoder and head) on another dataset's dev set, as the paper's
/// out-of-domain columns do (NewsQA* with the SQuAD 2.0 model). Inputs: the declaration, the dataset, stage
/// <see cref="StageSpec.Model"/>'s encoder and head. Outputs: dev metrics and, for MRC, prediction files.
/// </summary>
public static class EvaluateStage
{
    public static StageResult Run(StageContext context, StageSpec stage, BoundTask task)
    {
        using var encoder = context.Encoders.Create(context.Spec.Name, stage.Model);
        using var head = context.Encoders.Head(context.Spec.Name, stage.Model, task, encoder.Config);
        encoder.to(context.Device);
        head.to(context.Device);
        var metrics = DevEvaluation.Evaluate(context, task, encoder, head);
        return new StageResult(stage.Name, task.Spec.Name, new TrainingSummary(stage.Name, Steps: 0, FirstLoss: 0, LastLoss: 0), metrics, StageRole.Finetune, stage.Row);
    }
}
