using Road.Distillation;
using static TorchSharp.torch;

namespace Road.Tests;

/// <summary>KD loss, weighted KD and teacher annealing against hand-computed values.</summary>
public sealed class DistillationTests
{
    private static Tensor Logits(params float[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    private static Tensor Gold(params long[] labels) => tensor(labels);

    // Three teachers, three classes, gold class 0. A teacher "votes" for the class with its largest logit.
    private static Tensor Teacher(int vote) => Logits([.. Enumerable.Range(0, 3).Select(c => c == vote ? 2f : 0f)]);

    [Theory]
    [InlineData(0, 0, 0, new[] { 1.0, 1.0, 1.0 })] // all right: every weight 1
    [InlineData(1, 2, 1, new[] { 1.0, 1.0, 1.0 })] // all wrong: every weight 1
    [InlineData(0, 0, 2, new[] { 1.25, 1.25, 0.5 })] // k = 1, c = 2: wrong W = 0.5, right (3 - 0.5) / 2
    [InlineData(1, 0, 2, new[] { 0.5, 2.0, 0.5 })] // k = 2, c = 1: right (3 - 1) / 1
    public void Weights_for_three_teachers_with_w_one_half(int first, int second, int third, double[] expected)
    {
        var weights = new WeightedKd(0.5).Weights([Teacher(first), Teacher(second), Teacher(third)], Gold(0));
        Assert.Equal(expected, weights[0].data<float>().Select(w => (double)w));
        Assert.Equal(3.0, weights.sum().item<float>(), 5);
    }

    [Fact]
    public void Soft_target_is_the_weighted_mean_and_w_one_is_the_plain_ensemble()
    {
        var teachers = new[] { Teacher(0), Teacher(0), Teacher(2) };
        // weights 1.25, 1.25, 0.5: class 0 gets (1.25 * 2 + 1.25 * 2) / 3, class 2 gets 0.5 * 2 / 3.
        Assert.Equal(new[] { 5f / 3, 0f, 1f / 3 }, new WeightedKd(0.5).SoftTarget(teachers, Gold(0))[0].data<float>().ToArray(), new FloatTolerance(1e-6f));
        Assert.Equal(new[] { 4f / 3, 0f, 2f / 3 }, new WeightedKd(1.0).SoftTarget(teachers, Gold(0))[0].data<float>().ToArray(), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void Teachers_that_say_whether_they_were_right_are_weighed_by_that_not_by_their_argmax()
    {
        // Every argmax says class 0 = gold (all right), but the second and third teachers report that in their own
        // tokenization they were wrong: k = 2, c = 1. A teacher without a report is judged by its argmax.
        var weights = new WeightedKd(0.5).Weights([Teacher(0), Teacher(0), Teacher(0)], Gold(0), [null, tensor(new[] { 0f }), tensor(new[] { 0f })]);
        Assert.Equal(new[] { 2f, 0.5f, 0.5f }, weights[0].data<float>().ToArray());
        var reportedRight = new WeightedKd(0.5).Weights([Teacher(1), Teacher(0), Teacher(2)], Gold(0), [tensor(new[] { 1f }), null, null]);
        Assert.Equal(new[] { 1.25f, 1.25f, 0.5f }, reportedRight[0].data<float>().ToArray());
    }

    [Fact]
    public void Weights_are_per_example()
    {
        var a = Logits([2, 0], [2, 0]);
        var b = Logits([0, 2], [2, 0]);
        var weights = new WeightedKd(0.5).Weights([a, b], Gold(0, 1));
        // Example 0: a right, b wrong -> (2 - 0.5) / 1 = 1.5 and 0.5. Example 1: a wrong, b wrong -> 1, 1.
        Assert.Equal(new[] { 1.5f, 0.5f, 1f, 1f }, weights.flatten().data<float>().ToArray());
    }

    [Fact]
    public void Kd_loss_mixes_cross_entropy_and_temperature_scaled_kl()
    {
        var student = Logits([0, 0]);
        var teacher = Logits([(float)Math.Log(3), 0]);
        double kl = 0.75 * Math.Log(1.5) + 0.25 * Math.Log(0.5);
        Assert.Equal(kl, KdLoss.Distillation(student, teacher, 1.0).item<float>(), 6);
        Assert.Equal(Math.Log(2), new KdLoss(1.0, 0.0).Compute(student, teacher, Gold(1)).item<float>(), 6);
        Assert.Equal(0.5 * Math.Log(2) + 0.5 * kl, new KdLoss(1.0, 0.5).Compute(student, teacher, Gold(1)).item<float>(), 6);
        // At T = 2 the distributions soften: teacher logits ln3/2 vs 0, weighted by T^2 = 4.
        double p = Math.Sqrt(3) / (Math.Sqrt(3) + 1);
        double kl2 = p * Math.Log(2 * p) + (1 - p) * Math.Log(2 * (1 - p));
        Assert.Equal(4 * kl2, new KdLoss(2.0, 1.0).Compute(student, teacher, Gold(1)).item<float>(), 5);
        Assert.Equal(0.0, new KdLoss(2.0, 1.0).Compute(teacher, teacher, Gold(1)).item<float>(), 6);
    }

    [Fact]
    public void Teacher_annealing_moves_from_the_teacher_to_the_gold_label()
    {
        var student = Logits([1, 0, -1]);
        var teacher = Logits([0, 2, 0]);
        var logStudent = nn.functional.log_softmax(student, 1)[0].data<float>().ToArray();
        var teacherProbabilities = nn.functional.softmax(teacher, 1)[0].data<float>().ToArray();
        Assert.Equal(-logStudent[2], TeacherAnnealing.Loss(student, teacher, Gold(2), 1.0).item<float>(), 5);
        Assert.Equal(-Enumerable.Range(0, 3).Sum(i => teacherProbabilities[i] * logStudent[i]), TeacherAnnealing.Loss(student, teacher, Gold(2), 0.0).item<float>(), 5);
        Assert.Equal((0.0, 0.5, 1.0), (TeacherAnnealing.Progress(0, 11), TeacherAnnealing.Progress(5, 11), TeacherAnnealing.Progress(10, 11)));
    }
}

/// <summary>What every stage kind distils with: the stage's label smoothing, and QuAC's dialog heads still learning.</summary>
public sealed class StageDistillationTests
{
    [Theory]
    [InlineData(Road.Pipeline.StageKind.MultiTask)]
    [InlineData(Road.Pipeline.StageKind.Finetune)]
    public void The_distiller_of_any_stage_smooths_its_hard_labels(Road.Pipeline.StageKind kind)
    {
        var settings = new Road.Training.FinetuneSettings(LabelSmoothing: 0.2);
        var stage = new Road.Pipeline.StageSpec("S", "", settings, kind, Distillation: new DistillationSpec(DistillationKind.Kd, Temperature: 2, Alpha: 0.3));
        var distiller = Road.Stages.TaskObjectives.Distiller(stage)!;
        var student = tensor(new float[] { 1, 0, -1, 0.5f, 0.2f, 0 }, [2, 3]);
        var teacher = tensor(new float[] { 0, 2, 0, 1, 0, 0 }, [2, 3]);
        var gold = tensor(new long[] { 0, 2 });
        float expected = new KdLoss(2, 0.3, LabelSmoothing: 0.2).Compute(student, teacher, gold).item<float>();
        Assert.Equal(expected, distiller.Loss(student, gold, [teacher]).item<float>(), 6);
        Assert.NotEqual(new KdLoss(2, 0.3).Compute(student, teacher, gold).item<float>(), expected, 3);
    }

    [Fact]
    public void Quac_dialog_heads_learn_from_gold_labels_under_distillation()
    {
        TorchSharp.torch.manual_seed(3);
        string quac = Path.Combine(AppContext.BaseDirectory, "Fixtures", "data", "quac", "val_v0.2.sample.json");
        var examples = Road.Data.Readers.QuacReader.Read(quac, new Road.Data.Readers.ReaderReport()).Take(4).ToList();
        var tokenizer = Road.Tokenization.WordPieceTokenizer.FromVocabularyFile(Path.Combine(AppContext.BaseDirectory, "Fixtures", "vocab", "bert-base-uncased-vocab.txt"));
        var features = Road.Data.MrcFeatureBuilder.Build(examples, tokenizer, new Road.Data.MrcWindowSettings(64, 16, 16));
        var encoder = Road.Encoders.EncoderModel.Create(new Road.Encoders.EncoderConfig { VocabSize = 30522, EmbeddingSize = 16, HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 16, MaxPositionEmbeddings = 64 });
        var head = new Road.Heads.MrcHead(16, followupHead: true, yesNoHead: true);
        int n = features.Count;
        var teacher = new SoftTargets(new Dictionary<string, Tensor> { ["start"] = randn(n, 64), ["end"] = randn(n, 64), ["answerable"] = randn(n) });
        var objective = new Road.Training.MrcObjective("Quac", head, features, 0, new Distiller(new DistillationSpec(DistillationKind.Kd)), [teacher]);
        objective.Loss(encoder, Enumerable.Range(0, n).ToList(), CPU).backward();
        var grads = head.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        Assert.True(grads["followup.weight"] is { } f && f.abs().sum().item<float>() > 0, "the follow-up head got no gradient");
        Assert.True(grads["yes_no.weight"] is { } y && y.abs().sum().item<float>() > 0, "the yes/no head got no gradient");
    }
}
