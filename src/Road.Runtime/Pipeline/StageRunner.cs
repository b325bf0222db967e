using Road.Data;
using Road.Distillation;
using Road.Encoders;
using Road.Evaluation;
using Road.Heads;
using Road.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Pipeline;

/// <summary>What a stage produced: its training curve summary and the dev metrics of its target task.</summary>
public sealed record StageResult(string Stage, string Task, TrainingSummary Training, IReadOnlyDictionary<string, double> Metrics,
    StageRole Role = StageRole.Finetune, string Row = "");

/// <summary>Where a stage's result goes in metrics.json and the report.</summary>
public enum StageRole
{
    Finetune,
    Teacher,
    MultiTask,
}

/// <summary>A dataset with its declaration, as stages receive it.</summary>
public sealed record BoundTask(TaskSpec Spec, MrcDataset? Mrc, PairDataset? Pairs, TextDataset? Texts = null);

/// <summary>
/// The runtime half of a generated stage plan: builds encoders (the checkpoint, fresh weights drawn from the stage's
/// seed, or a copy of the encoder an earlier stage trained), trains teachers and keeps their outputs as soft targets,
/// runs multi-task pretraining and finetuning (with distillation where declared), and evaluates.
/// </summary>
public sealed class StageRunner(ExperimentSpec spec, DataCatalog data, Device device, int seed, ITrainingProgress progress, RunFolder folder,
    Precision precision = Precision.Float32, int checkpointEvery = 0)
{
    private readonly Dictionary<string, Dictionary<string, Tensor>> _encoders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SoftTargets>> _teachers = new(StringComparer.Ordinal);
    private int _stageIndex;
    private string _stageName = "";

    /// <summary>The seed of the stage about to run; set by the experiment runner.</summary>
    internal int StageSeed => seed + 1000 * _stageIndex;

    /// <summary>Seeds the stage about to run and names the folder its files go to.</summary>
    internal void BeginStage(int index, string name)
    {
        (_stageIndex, _stageName) = (index, name);
        torch.manual_seed(StageSeed);
    }

    public BoundTask Bind(TaskSpec task, MrcDataset dataset) => new(task, dataset, null);

    public BoundTask Bind(TaskSpec task, PairDataset dataset) => new(task, null, dataset);

    public BoundTask Bind(TaskSpec task, TextDataset dataset) => new(task, null, null, dataset);

    /// <summary>A fresh copy of the experiment's initial encoder, or of the encoder stage <paramref name="from"/> trained.</summary>
    public EncoderModel CreateEncoder(string from = "")
    {
        var encoder = Initial();
        if (from.Length == 0) return encoder;
        if (!_encoders.TryGetValue(from, out var state))
            throw new RoadException($"experiment {spec.Name}: a stage starts from {from}, which has not run before it.");
        encoder.load_state_dict(state);
        return encoder;
    }

    public StageResult FinetuneMrc(StageSpec stage, MrcDataset dataset, EncoderModel encoder, MrcHead head) =>
        Finetune(stage, Bind(spec.Task(stage.Target), dataset), encoder, head, stage.Distillation);

    public StageResult FinetunePair(StageSpec stage, PairDataset dataset, EncoderModel encoder, ClassificationHead head) =>
        Finetune(stage, Bind(spec.Task(stage.Target), dataset), encoder, head, stage.Distillation);

    public StageResult FinetuneText(StageSpec stage, TextDataset dataset, EncoderModel encoder, ClassificationHead head) =>
        Finetune(stage, Bind(spec.Task(stage.Target), dataset), encoder, head, stage.Distillation);

    /// <summary>Trains teacher <paramref name="seedIndex"/> of a dataset, evaluates it, and stores its outputs over the
    /// training features under stages/DistillTargets.</summary>
    public StageResult Teacher(BoundTask task, int seedIndex, EncoderModel encoder, nn.Module head)
    {
        var settings = task.Spec.TeacherSettings ?? new FinetuneSettings();
        string name = $"Teacher-{task.Spec.Name}-{seedIndex}";
        var result = Train(new StageSpec(name, task.Spec.Name, settings), task, encoder, head, null) with { Role = StageRole.Teacher };
        var targets = task.Mrc is not null
            ? TeacherOutputs.Mrc(encoder, (MrcHead)head, MrcFeatures(task, "train"), device)
            : TeacherOutputs.Pair(encoder, (ClassificationHead)head, ClassFeatures(task, "train"), device);
        targets.Save(folder.File("stages", "DistillTargets", $"{task.Spec.Name}-{seedIndex}.safetensors"), new Dictionary<string, object>
        {
            ["teacher"] = name,
            ["dataset"] = task.Spec.Name,
            ["seed_index"] = seedIndex,
            ["stage_seed"] = StageSeed,
            ["dev_metrics"] = result.Metrics,
            ["features"] = data.Identity(task.Spec, "train"),
            ["dtype"] = "bfloat16",
        });
        if (!_teachers.TryGetValue(task.Spec.Name, out var list)) _teachers[task.Spec.Name] = list = [];
        list.Add(targets);
        return result;
    }

    /// <summary>Multi-task pretraining (Algorithm 1) on every bound dataset; the encoder is kept for later stages.</summary>
    public StageResult MultiTask(StageSpec stage, IReadOnlyList<BoundTask> tasks)
    {
        var settings = stage.MultiTask ?? new MultiTaskSettings();
        var encoder = CreateEncoder(stage.From).to(device);
        int hidden = encoder.Config.HiddenSize;
        // One head per task type shared by its datasets (ROaD), or one per dataset (MT-DNN).
        var shared = new Dictionary<string, nn.Module>(StringComparer.Ordinal);
        nn.Module HeadFor(BoundTask task)
        {
            string key = settings.HeadPerDataset ? task.Spec.Name : $"{task.Spec.Kind}/{Classes(task)}/{task.Spec.FollowupHead}/{task.Spec.YesNoHead}";
            if (!shared.TryGetValue(key, out var head))
            {
                head = task.Mrc is not null
                    ? new MrcHead(hidden, task.Spec.FollowupHead, task.Spec.YesNoHead)
                    : new ClassificationHead(hidden, Classes(task), encoder.Config.HiddenDropoutProb);
                WeightInitialization.Apply(head);
                head.to(device);
                shared[key] = head;
            }
            return head;
        }
        var distiller = stage.Distillation is { } d ? new Distiller(d, stage.Settings.LabelSmoothing) : null;
        var objectives = tasks.Select(t => Objective(t, HeadFor(t), stage.Settings.LabelSmoothing, distiller)).ToList();
        var summary = new MultiTaskTrainer(device, progress, precision).Train(stage.Name, encoder, objectives, settings, StageSeed,
            (step, total) => { if (distiller is not null) distiller.Progress = TeacherAnnealing.Progress(step, total); }, Checkpoint(stage.Name), checkpointEvery);
        Keep(stage.Name, encoder);
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (task, objective) in tasks.Zip(objectives))
        foreach (var (key, value) in Evaluate(task, encoder, objective.Head, task.Spec.Name))
            metrics[$"{task.Spec.Name}.{key}"] = value;
        return new StageResult(stage.Name, string.Join("+", tasks.Select(t => t.Spec.Name)), summary, metrics, StageRole.MultiTask);
    }

    private StageResult Finetune(StageSpec stage, BoundTask task, EncoderModel encoder, nn.Module head, DistillationSpec? distillation) =>
        Train(stage, task, encoder, head, distillation) with { Row = stage.Row };

    private StageResult Train(StageSpec stage, BoundTask task, EncoderModel encoder, nn.Module head, DistillationSpec? distillation)
    {
        WeightInitialization.Apply(head);
        encoder.to(device);
        head.to(device);
        var distiller = distillation is null ? null : new Distiller(distillation, stage.Settings.LabelSmoothing);
        var objective = Objective(task, head, stage.Settings.LabelSmoothing, distiller);
        var summary = new Finetuner(device, progress, precision).Train(stage.Name, encoder, objective, stage.Settings, StageSeed,
            (step, total) => { if (distiller is not null) distiller.Progress = TeacherAnnealing.Progress(step, total); }, Checkpoint(stage.Name), checkpointEvery);
        Keep(stage.Name, encoder);
        return new StageResult(stage.Name, task.Spec.Name, summary, Evaluate(task, encoder, head, ""));
    }

    private ITaskObjective Objective(BoundTask task, nn.Module head, double labelSmoothing, Distiller? distiller)
    {
        IReadOnlyList<SoftTargets>? teachers = null;
        if (distiller is not null)
        {
            teachers = _teachers.GetValueOrDefault(task.Spec.Name)
                ?? throw new RoadException($"experiment {spec.Name}: dataset {task.Spec.Name} is distilled, but no teacher was trained for it; mark it [Teacher].");
            int wanted = distiller.Spec.Kind == DistillationKind.Kd ? 1 : distiller.Spec.Teachers;
            if (teachers.Count < wanted)
                throw new RoadException($"experiment {spec.Name}: {distiller.Spec.Kind} on {task.Spec.Name} needs {wanted} teachers, {teachers.Count} were trained; raise [Teacher(Seeds)].");
            teachers = teachers.Take(wanted).ToList();
        }
        return task.Mrc is not null
            ? new MrcObjective(task.Spec.Name, (MrcHead)head, MrcFeatures(task, "train"), labelSmoothing, distiller, teachers)
            : new PairObjective(task.Spec.Name, (ClassificationHead)head, ClassFeatures(task, "train"), labelSmoothing, distiller, teachers);
    }

    /// <param name="subfolder">where in the stage folder predictions go: "" for a single-task stage, the dataset's name otherwise</param>
    private IReadOnlyDictionary<string, double> Evaluate(BoundTask task, EncoderModel encoder, nn.Module head, string subfolder)
    {
        if (task.Mrc is not null)
        {
            var (m, predictions) = new TaskEvaluator(device).Mrc(encoder, (MrcHead)head, task.Mrc.Dev, MrcFeatures(task, "dev"));
            string stage = Path.Combine(_stageName, subfolder);
            MrcPredictionFiles.Write(predictions, folder.File("stages", stage, "predictions.json"), folder.File("stages", stage, "na_probs.json"));
            var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
            {
                ["exact"] = m.Exact, ["f1"] = m.F1, ["total"] = m.Total,
                ["HasAns_total"] = m.HasAnsTotal, ["NoAns_total"] = m.NoAnsTotal,
            };
            if (m.HasAnsExact is { } he) (metrics["HasAns_exact"], metrics["HasAns_f1"]) = (he, m.HasAnsF1!.Value);
            if (m.NoAnsExact is { } ne) (metrics["NoAns_exact"], metrics["NoAns_f1"]) = (ne, m.NoAnsF1!.Value);
            if (m.BestExact is { } be) (metrics["best_exact"], metrics["best_f1"]) = (be, m.BestF1!.Value);
            foreach (var (key, value) in new TaskEvaluator(device).Dialog(encoder, (MrcHead)head, MrcFeatures(task, "dev"))) metrics[key] = value;
            return metrics;
        }
        var accuracy = new TaskEvaluator(device).Pair(encoder, (ClassificationHead)head, ClassFeatures(task, "dev"));
        return new SortedDictionary<string, double>(StringComparer.Ordinal) { ["accuracy"] = accuracy.Accuracy, ["total"] = accuracy.Total };
    }

    private List<MrcFeature> MrcFeatures(BoundTask task, string split)
    {
        var windows = new MrcWindowSettings(task.Spec.MaxLength, task.Spec.Stride, task.Spec.MaxQueryLength);
        var examples = split == "train" ? task.Mrc!.Train : task.Mrc!.Dev;
        return Memo(_mrcFeatures, [data.Tokenizer.Fingerprint, windows.ToString(), data.Identity(task.Spec, split)],
            key => data.Cache.Mrc(key, () => MrcFeatureBuilder.Build(examples, data.Tokenizer, windows)));
    }

    // Sentence pairs (NLI, paraphrase) or single texts (sentiment), as classification features.
    private List<PairFeature> ClassFeatures(BoundTask task, string split)
    {
        string settings = $"max length {task.Spec.MaxLength} {(task.Texts is null ? "pairs" : "single")}";
        return Memo(_classFeatures, [data.Tokenizer.Fingerprint, settings, data.Identity(task.Spec, split)], key => data.Cache.Pairs(key, () => task.Texts is { } texts
            ? PairFeatureBuilder.BuildSingle(split == "train" ? texts.Train : texts.Dev, data.Tokenizer, task.Spec.MaxLength)
            : PairFeatureBuilder.Build(split == "train" ? task.Pairs!.Train : task.Pairs!.Dev, data.Tokenizer, task.Spec.MaxLength)));
    }

    // Features in memory for the whole run: teachers, pretraining and finetuning stages share them rather than
    // reading the disk cache again.
    private readonly Dictionary<string, List<MrcFeature>> _mrcFeatures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PairFeature>> _classFeatures = new(StringComparer.Ordinal);

    private static List<T> Memo<T>(Dictionary<string, List<T>> memo, string[] key, Func<string[], List<T>> load)
    {
        string id = string.Join("\n", key);
        if (!memo.TryGetValue(id, out var features)) memo[id] = features = load(key);
        return features;
    }

    private TrainingCheckpoint Checkpoint(string stage) => new(folder.File("stages", stage, "checkpoint"));

    // A finished stage's encoder: kept for later stages, and saved in HF layout (stages/<stage>/encoder) so that a
    // resumed run, or transformers, can load it; its training checkpoint is no longer needed.
    private void Keep(string stage, EncoderModel encoder)
    {
        _encoders[stage] = Snapshot(encoder);
        EncoderCheckpoint.Save(encoder, folder.File("stages", stage, "encoder"));
        string checkpoint = folder.File("stages", stage, "checkpoint");
        if (Directory.Exists(checkpoint)) Directory.Delete(checkpoint, recursive: true);
    }

    /// <summary>Takes back what a stage finished in an earlier, interrupted run left: its encoder and, for a teacher,
    /// its soft targets.</summary>
    internal void Restore(StageResult result)
    {
        string encoder = folder.File("stages", result.Stage, "encoder");
        if (Directory.Exists(encoder)) _encoders[result.Stage] = Snapshot(EncoderCheckpoint.Load(encoder));
        if (result.Role != StageRole.Teacher) return;
        int seedIndex = int.Parse(result.Stage[(result.Stage.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        if (!_teachers.TryGetValue(result.Task, out var list)) _teachers[result.Task] = list = [];
        list.Add(SoftTargets.Load(folder.File("stages", "DistillTargets", $"{result.Task}-{seedIndex}.safetensors")));
    }

    private static int Classes(BoundTask task) => task.Pairs?.Labels.Count ?? task.Texts?.Labels.Count ?? 0;

    private static Dictionary<string, Tensor> Snapshot(EncoderModel encoder) =>
        encoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().to(ScalarType.Float32).cpu().clone());

    private EncoderModel Initial()
    {
        var e = spec.Encoder;
        if (!string.IsNullOrEmpty(e.Checkpoint)) return EncoderCheckpoint.Load(DataCatalog.CheckpointFolder(spec));
        var encoder = EncoderModel.Create(new EncoderConfig
        {
            ModelType = e.Family.ToString().ToLowerInvariant(),
            VocabSize = data.Tokenizer.VocabularySize,
            PadTokenId = data.Tokenizer.PadId,
            EmbeddingSize = e.EmbeddingSize,
            HiddenSize = e.HiddenSize,
            NumHiddenLayers = e.Layers,
            NumAttentionHeads = e.Heads,
            IntermediateSize = e.IntermediateSize,
            MaxPositionEmbeddings = e.MaxPositions,
            HiddenDropoutProb = e.Dropout,
            AttentionProbsDropoutProb = e.Dropout,
        });
        WeightInitialization.Apply(encoder);
        return encoder;
    }
}
