using System.Text.Json.Nodes;
using Road.Inference;
using Road.Pipeline;
using Road.Tokenization;
using Road.Training;

namespace Road.Tests;

/// <summary>
/// A finetuned stage's folder is a model the inference API loads: it answers the dev questions exactly as the run's
/// evaluation did (predictions.json, na_probs.json), classifies as its accuracy says, serves concurrent callers, and
/// names what is wrong with a folder or a call. The smoke run of table2-albert-xlarge gives an MRC stage and an NLI
/// stage on ALBERT's SentencePiece tokenizer.
/// </summary>
public sealed class InferenceTests : IClassFixture<InferenceTests.SmokeRun>
{
    private readonly SmokeRun _run;

    public InferenceTests(SmokeRun run) => _run = run;

    public sealed class SmokeRun : IDisposable
    {
        private readonly string _output = Directory.CreateTempSubdirectory("road-inference-").FullName;

        public SmokeRun()
        {
            var entry = ShortRuns.Entry("table2-albert-xlarge");
            Entry = entry with { Spec = SmokeSpec.Of(entry.Spec, Path.Combine(AppContext.BaseDirectory, "Fixtures")) };
            Outcome = ExperimentRunner.Run(Entry, new RunOptions(Output: _output), new SilentProgress());
        }

        public ExperimentEntry Entry { get; }
        public RunOutcome Outcome { get; }
        public string Stage(string name) => Outcome.Folder.File("stages", name);
        public void Dispose() => Directory.Delete(_output, recursive: true);
    }

    [Fact]
    public void An_mrc_stage_answers_its_dev_questions_as_its_evaluation_did()
    {
        using var model = TrainedModel.Load(_run.Stage("BaselineSquad2"));
        var dev = new DataCatalog(_run.Entry.Spec).LoadMrc(_run.Entry.Spec.Tasks.Single(t => t.Name == "Squad2")).Dev;

        var answers = new QuestionAnswerer(model).Predict(dev);

        var predictions = JsonNode.Parse(File.ReadAllText(Path.Combine(_run.Stage("BaselineSquad2"), "predictions.json")))!.AsObject();
        var naProbs = JsonNode.Parse(File.ReadAllText(Path.Combine(_run.Stage("BaselineSquad2"), "na_probs.json")))!.AsObject();
        Assert.Equal(dev.Count, predictions.Count);
        Assert.Equal(predictions.Select(p => p.Key), answers.Select(a => a.Id));
        foreach (var answer in answers)
        {
            Assert.Equal(predictions[answer.Id]!.GetValue<string>(), answer.Text);
            Assert.Equal(naProbs[answer.Id]!.GetValue<double>(), answer.NoAnswerProbability);
            // The best span is where its offsets say, whether or not it is predicted.
            var context = dev.Single(q => q.Id == answer.Id).Context;
            Assert.Equal(answer.BestSpan, context[answer.Start..answer.End]);
            Assert.True(double.IsFinite(answer.Score));
            if (answer.HasAnswer) Assert.Equal(answer.BestSpan, answer.Text);
        }
        Assert.Null(answers[0].Followup); // SQuAD's head has no dialog outputs
    }

    // QuAC's teacher (table4's smoke) has the follow-up and yes/no heads: the answers' dialog labels score what the
    // run's evaluation reported.
    [Fact]
    public void A_quac_model_labels_follow_ups_and_yes_no_as_its_evaluation_did()
    {
        string output = Directory.CreateTempSubdirectory("road-quac-").FullName;
        try
        {
            var entry = ShortRuns.Entry("table4-electra-large");
            var smoke = entry with { Spec = SmokeSpec.Of(entry.Spec, Path.Combine(AppContext.BaseDirectory, "Fixtures")) };
            var outcome = ExperimentRunner.Run(smoke, new RunOptions(Output: output), new SilentProgress());
            using var model = TrainedModel.Load(outcome.Folder.File("stages", "Teacher-Quac-0"));
            Assert.True(model.Card.FollowupHead && model.Card.YesNoHead);
            var dev = new DataCatalog(smoke.Spec).LoadMrc(smoke.Spec.Tasks.Single(t => t.Name == "Quac")).Dev;

            var answers = new QuestionAnswerer(model).Predict(dev);

            var metrics = outcome.Results.Single(r => r.Stage == "Teacher-Quac-0").Metrics;
            double Accuracy(Func<Road.Data.DialogTurn, char> gold, Func<Answer, char?> predicted, string labels) => Road.Evaluation.AccuracyResult.Of(
                dev.Select(q => labels.IndexOf(gold(q.Turn!))).ToList(), answers.Select(a => labels.IndexOf(predicted(a)!.Value)).ToList()).Accuracy;
            Assert.Equal(metrics["followup_accuracy"], Accuracy(t => t.Followup, a => a.Followup, "ymn"), 1e-12);
            Assert.Equal(metrics["yesno_accuracy"], Accuracy(t => t.YesNo, a => a.YesNo, "ynx"), 1e-12);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void Concurrent_callers_get_the_answers_of_one_batch()
    {
        using var model = TrainedModel.Load(_run.Stage("BaselineSquad2"));
        var answerer = new QuestionAnswerer(model);
        var dev = new DataCatalog(_run.Entry.Spec).LoadMrc(_run.Entry.Spec.Tasks.Single(t => t.Name == "Squad2")).Dev;
        var batch = answerer.Ask(dev.Select(q => new Question(q.Question, q.Context, q.Id)).ToList());

        var alone = new Answer[dev.Count];
        Parallel.For(0, dev.Count, new ParallelOptions { MaxDegreeOfParallelism = dev.Count }, i => alone[i] = answerer.Ask(dev[i].Question, dev[i].Context));

        for (int i = 0; i < dev.Count; i++)
        {
            // Alone, a question's windows are padded to their own length, not the batch's: the same answer.
            Assert.Equal(batch[i].BestSpan, alone[i].BestSpan);
            Assert.Equal(batch[i].Text, alone[i].Text);
            Assert.Equal(batch[i].NoAnswerProbability, alone[i].NoAnswerProbability, 1e-5);
        }
    }

    [Fact]
    public void A_classification_stage_classifies_as_its_accuracy_says_with_probabilities()
    {
        using var model = TrainedModel.Load(_run.Stage("BaselineMnli"));
        var classifier = new TextClassifier(model);
        var dev = new DataCatalog(_run.Entry.Spec).LoadPair(_run.Entry.Spec.Tasks.Single(t => t.Name == "Mnli")).Dev;

        var classes = classifier.Classify(dev.Select(p => (p.First, (string?)p.Second)).ToList());

        Assert.Equal(["entailment", "neutral", "contradiction"], classifier.Labels);
        double accuracy = (double)dev.Zip(classes).Count(x => classifier.Labels[x.First.Label] == x.Second.Label) / dev.Count;
        Assert.Equal(_run.Outcome.Results.Single(r => r.Stage == "BaselineMnli").Metrics["accuracy"], accuracy, 1e-9);
        foreach (var c in classes)
        {
            Assert.Equal(1.0, c.Probabilities.Sum(p => p.Value), 1e-9);
            Assert.Equal(c.Probabilities.Max(p => p.Value), c.Probability);
        }
        var error = Assert.Throws<RoadException>(() => classifier.Classify("a premise alone"));
        Assert.Equal($"{model.Folder}: the model reads sentence pairs (Mnli); pass two texts per input.", error.Message);
        error = Assert.Throws<RoadException>(() => new QuestionAnswerer(model));
        Assert.Equal($"{model.Folder}: a Nli model classifies; answer questions with an MRC model, or use TextClassifier.", error.Message);
    }

    [Fact]
    public void A_stage_folder_holds_the_runs_tokenizer_and_a_task_card()
    {
        var saved = TokenizerFiles.Load(Path.Combine(_run.Stage("BaselineSquad2"), "encoder"));
        Assert.Equal(new DataCatalog(_run.Entry.Spec).Tokenizer.Fingerprint, saved.Fingerprint);
        var card = TaskCard.Read(Path.Combine(_run.Stage("BaselineSquad2"), TaskCard.File));
        Assert.Equal(new TaskCard("Squad2", TaskKind.Mrc, 128, 32, 32), card);
    }

    // ALBERT (shared layers, factorised embeddings, gelu_new) as an ONNX graph: ONNX Runtime gives Road's logits
    // within 1e-4 on batches of every width the dev set makes, and one question alone (batch 1, its own width).
    [Fact]
    public void The_exported_onnx_graph_gives_roads_logits_on_onnx_runtime()
    {
        string onnx = Path.Combine(_run.Stage("BaselineSquad2"), "model.onnx");
        using (var torch = TrainedModel.Load(_run.Stage("BaselineSquad2"))) torch.ExportOnnx(onnx);
        using var model = TrainedModel.Load(_run.Stage("BaselineSquad2"));
        using var onnxModel = TrainedModel.LoadOnnx(_run.Stage("BaselineSquad2"), onnx);
        Assert.Equal("ONNX Runtime (cpu, fp32)", onnxModel.Backend);
        var dev = new DataCatalog(_run.Entry.Spec).LoadMrc(_run.Entry.Spec.Tasks.Single(t => t.Name == "Squad2")).Dev;
        var features = Road.Data.MrcFeatureBuilder.Build(dev, model.Tokenizer, new Road.Data.MrcWindowSettings(128, 32, 32));

        var expected = model.Forward.Windows(features, null);
        var actual = onnxModel.Forward.Windows(features, null);
        for (int w = 0; w < features.Count; w++)
        {
            AssertClose(expected[w].Start, actual[w].Start);
            AssertClose(expected[w].End, actual[w].End);
            AssertClose([expected[w].NoAnswer], [actual[w].NoAnswer]);
        }
        var alone = new QuestionAnswerer(onnxModel).Ask(dev[0].Question, dev[0].Context);
        var reference = new QuestionAnswerer(model).Ask(dev[0].Question, dev[0].Context);
        Assert.Equal(reference.BestSpan, alone.BestSpan);
        Assert.Equal(reference.NoAnswerProbability, alone.NoAnswerProbability, 1e-4);

        string classes = Path.Combine(_run.Stage("BaselineMnli"), "model.onnx");
        using (var torch = TrainedModel.Load(_run.Stage("BaselineMnli"))) torch.ExportOnnx(classes);
        using var nli = TrainedModel.Load(_run.Stage("BaselineMnli"));
        using var nliOnnx = TrainedModel.LoadOnnx(_run.Stage("BaselineMnli"), classes);
        var pairs = new DataCatalog(_run.Entry.Spec).LoadPair(_run.Entry.Spec.Tasks.Single(t => t.Name == "Mnli")).Dev;
        var inputs = pairs.Select(p => (p.First, (string?)p.Second)).ToList();
        var torchClasses = new TextClassifier(nli).Classify(inputs);
        var onnxClasses = new TextClassifier(nliOnnx).Classify(inputs);
        for (int i = 0; i < inputs.Count; i++)
            AssertClose(torchClasses[i].Probabilities.Select(p => (float)p.Value).ToArray(), onnxClasses[i].Probabilities.Select(p => (float)p.Value).ToArray());
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4, $"position {i}: Road {expected[i]}, ONNX Runtime {actual[i]}");
    }

    [Theory]
    [InlineData("""{"dataset": "Mnli", "kind": "nli", "max_length": 64}""", "$.labels, two or more names")]
    [InlineData("""{"dataset": "Mnli", "kind": "nli", "max_length": 64, "labels": ["a", "b"], "colour": 1}""", "$.colour")]
    [InlineData("""{"dataset": "Squad2", "kind": "reading", "max_length": 64}""", "$.kind")]
    [InlineData("""{"kind": "mrc", "max_length": 64}""", "dataset")]
    public void A_damaged_task_card_is_named_with_its_json_path(string json, string expected)
    {
        string folder = Directory.CreateTempSubdirectory("road-card-").FullName;
        try
        {
            string path = Path.Combine(folder, TaskCard.File);
            File.WriteAllText(path, json);
            var error = Assert.Throws<RoadException>(() => TaskCard.Read(path));
            Assert.StartsWith(path + ": ", error.Message);
            Assert.Contains(expected, error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
