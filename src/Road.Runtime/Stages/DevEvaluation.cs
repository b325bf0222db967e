using Road.Encoders;
using Road.Evaluation;
using Road.Heads;
using static TorchSharp.torch;

namespace Road.Stages;

/// <summary>Scores a trained encoder and head on a task's dev set with its official metric, and writes the SQuAD
/// prediction files of MRC tasks into the stage's folder; a dataset without a dev file gets no metrics.</summary>
public static class DevEvaluation
{
    /// <param name="subfolder">where in the stage folder predictions go: "" for a single-task stage, the dataset's name otherwise</param>
    public static IReadOnlyDictionary<string, double> Evaluate(StageContext context, BoundTask task, Road.Encoders.EncoderModel encoder, nn.Module head, string subfolder = "")
    {
        // A dataset declared without a dev file (Amazon reviews have no split) trains but is not scored.
        if (!task.Spec.Scored) return new SortedDictionary<string, double>(StringComparer.Ordinal);
        var evaluator = new TaskEvaluator(context.Device, group: context.Group);
        if (task.Mrc is not null)
        {
            var features = context.Features.Mrc(task, "dev");
            var (m, predictions) = evaluator.Mrc(encoder, (MrcHead)head, task.Mrc.Dev, features);
            if (context.Folder.Writes) MrcPredictionFiles.Write(predictions, context.StageFile(subfolder, "predictions.json"), context.StageFile(subfolder, "na_probs.json"));
            var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
            {
                ["exact"] = m.Exact, ["f1"] = m.F1, ["total"] = m.Total,
                ["HasAns_total"] = m.HasAnsTotal, ["NoAns_total"] = m.NoAnsTotal,
            };
            if (m.HasAnsExact is { } he) (metrics["HasAns_exact"], metrics["HasAns_f1"]) = (he, m.HasAnsF1!.Value);
            if (m.NoAnsExact is { } ne) (metrics["NoAns_exact"], metrics["NoAns_f1"]) = (ne, m.NoAnsF1!.Value);
            if (m.BestExact is { } be) (metrics["best_exact"], metrics["best_f1"]) = (be, m.BestF1!.Value);
            foreach (var (key, value) in evaluator.Dialog(encoder, (MrcHead)head, features)) metrics[key] = value;
            return metrics;
        }
        var accuracy = evaluator.Pair(encoder, (ClassificationHead)head, context.Features.Classes(task, "dev"));
        return new SortedDictionary<string, double>(StringComparer.Ordinal) { ["accuracy"] = accuracy.Accuracy, ["total"] = accuracy.Total };
    }
}
