using Road.Encoders;
using Road.Pipeline;
using Road.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Stages;

/// <summary>
/// Finetuning on one dataset. Inputs: the stage's declaration, the dataset, the encoder it starts from (the initial
/// one, stage <see cref="StageSpec.From"/>'s, or layers of a teacher's: <see cref="StageSpec.FromTeacher"/>) and, when it distils, the dataset's teachers. Outputs: the trained
/// encoder and head (kept, and saved under the stage folder with the <see cref="Road.Inference.TaskCard"/> that makes
/// them a model <see cref="Road.Inference.TrainedModel"/> loads), dev metrics and prediction files.
/// </summary>
public static class FinetuneStage
{
    public static StageResult Run(StageContext context, StageSpec stage, BoundTask task)
    {
        var encoder = stage.FromTeacher is { } teacher
            ? context.Encoders.CreateFromLayers(context.Spec.Name, teacher.Stage(task.Spec.Name), teacher.Layers)
            : context.Encoders.Create(context.Spec.Name, stage.From);
        var head = TaskHeads.Create(task, encoder.Config);
        return Train(context, stage, task, encoder, head) with { Row = stage.Row };
    }

    /// <summary>Trains an encoder and head on the task, keeps the encoder, and evaluates on the dev set.</summary>
    internal static StageResult Train(StageContext context, StageSpec stage, BoundTask task, EncoderModel encoder, nn.Module head)
    {
        encoder.to(context.Device);
        head.to(context.Device);
        var distiller = TaskObjectives.Distiller(stage);
        var objective = TaskObjectives.Create(context, task, head, stage.Settings.LabelSmoothing, distiller);
        var summary = new Finetuner(context.Device, context.Progress, context.Precision, context.Group).Train(stage.Name, encoder, objective, stage.Settings,
            context.StageSeed, TaskObjectives.Annealing(distiller), context.Checkpoint(), context.CheckpointEvery);
        context.WriteLosses(summary);
        context.Encoders.Keep(stage.Name, encoder, head);
        if (context.Folder.Writes) Road.Inference.TaskCard.Of(task).Write(context.StageFile(Road.Inference.TaskCard.File));
        var metrics = DevEvaluation.Evaluate(context, task, encoder, head);
        return new StageResult(stage.Name, task.Spec.Name, summary, metrics, Model: context.Spec.HasTeachers ? Facts(context, task, encoder, head) : null);
    }

    // What the report's table of students and teachers says of the model: only runs with teachers have that table.
    private static ModelFacts Facts(StageContext context, BoundTask task, EncoderModel encoder, nn.Module head)
    {
        var config = encoder.Config;
        string tokenizer = string.Join(",", context.Encoders.Initial.Tokenizer.Description.Split(',').Take(2));
        return new ModelFacts($"{config.ModelType} {config.NumHiddenLayers}x{config.HiddenSize}, {tokenizer}",
            encoder.parameters().Sum(p => p.numel()) + head.parameters().Sum(p => p.numel()),
            Road.Benchmarks.InferenceSpeed.OfStage(context.Device, task, context.Features, encoder, head));
    }
}
