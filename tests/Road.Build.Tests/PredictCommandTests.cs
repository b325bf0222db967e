using System.Text.Json.Nodes;

namespace Road.Build.Tests;

/// <summary>
/// <c>./build.sh Predict</c> on a finetuning stage of a run writes the official prediction files for a dataset file,
/// and <c>./build.sh Evaluate</c> scores them with the figures the run reported for that stage.
/// </summary>
[Collection(SmokeRunCollection.Name)]
public sealed class PredictCommandTests(SmokeRunFixture smoke)
{
    private static readonly string Data = Path.Combine(BuildCommandTests.Root(), "tests", "Road.Runtime.Tests", "Fixtures", "data");

    [Fact]
    public void Predictions_of_a_stage_score_as_the_run_reported_and_a_file_of_another_task_is_refused()
    {
        string output = Directory.CreateTempSubdirectory("road-predict-").FullName;
        try
        {
            string run = smoke.Folder;

            // SQuAD 2.0: predictions.json and na_probs.json, scored with the official metric's keys.
            string squad = Path.Combine(Data, "squad2", "allennlp-squad2-fixture.json");
            string predictions = Path.Combine(output, "squad", "predictions.json");
            var (code, stdout, error) = BuildCommandTests.Build("Predict", "--model", Path.Combine(run, "stages", "BaselineSquad2"), "--format", "squad2", "--data", squad, "--out", predictions);
            Assert.True(code == 0, stdout + error);
            Assert.Contains("Predicted 5 examples of ", stdout); // the sample's six questions, one a repeated id
            Assert.Equal(File.ReadAllBytes(Path.Combine(run, "stages", "BaselineSquad2", "predictions.json")), File.ReadAllBytes(predictions));
            var scored = Evaluate("--data", squad, "--predictions", predictions, "--na-probs", Path.Combine(output, "squad", "na_probs.json"));
            var reported = Reported(run, "BaselineSquad2");
            var keys = reported.AsObject().Select(kv => kv.Key).Where(k => scored[k] is not null).ToList();
            Assert.Superset(new HashSet<string> { "exact", "f1", "total", "HasAns_exact", "HasAns_f1", "best_exact", "best_f1" }, keys.ToHashSet());
            foreach (string key in keys)
                Assert.True(Math.Abs(reported[key]!.GetValue<double>() - scored[key]!.GetValue<double>()) < 1e-9, $"{key}: run {reported[key]}, Evaluate {scored[key]}");

            // The same model as an ONNX graph (ELECTRA), run by ONNX Runtime: the same answers.
            string onnx = Path.Combine(output, "squad", "model.onnx");
            (code, stdout, error) = BuildCommandTests.Build("ExportOnnx", "--model", Path.Combine(run, "stages", "BaselineSquad2"), "--out", onnx);
            Assert.True(code == 0, stdout + error);
            Assert.Contains("opset 17): inputs input_ids, attention_mask, token_type_ids [batch, sequence]; outputs start_logits, end_logits, no_answer_logit", stdout);
            string onnxPredictions = Path.Combine(output, "squad-onnx", "predictions.json");
            (code, stdout, error) = BuildCommandTests.Build("Predict", "--model", Path.Combine(run, "stages", "BaselineSquad2"), "--onnx", onnx, "--format", "squad2", "--data", squad, "--out", onnxPredictions);
            Assert.True(code == 0, stdout + error);
            Assert.Contains("on ONNX Runtime (cpu, fp32)", stdout);
            Assert.Equal(File.ReadAllText(predictions), File.ReadAllText(onnxPredictions));
            var torchNa = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "squad", "na_probs.json")))!.AsObject();
            var onnxNa = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "squad-onnx", "na_probs.json")))!.AsObject();
            foreach (var (id, p) in torchNa) Assert.Equal(p!.GetValue<double>(), onnxNa[id]!.GetValue<double>(), 1e-4);

            // MNLI from Parquet: id -> label, scored by accuracy.
            string mnli = Path.Combine(Data, "parquet", "mnli-glue-validation_matched.sample.parquet");
            string labels = Path.Combine(output, "mnli", "predictions.json");
            (code, stdout, error) = BuildCommandTests.Build("Predict", "--model", Path.Combine(run, "stages", "KdMnli"), "--format", "parquet", "--data", mnli, "--out", labels);
            Assert.True(code == 0, stdout + error);
            scored = Evaluate("--metric", "accuracy", "--format", "parquet", "--data", mnli, "--predictions", labels);
            Assert.Equal(Reported(run, "KdMnli")["accuracy"]!.GetValue<double>(), scored["accuracy"]!.GetValue<double>(), 1e-9);

            // An MNLI file given to the SQuAD model: one line naming the mismatch, and nothing written.
            string refused = Path.Combine(output, "refused", "predictions.json");
            (code, stdout, error) = BuildCommandTests.Build("Predict", "--model", Path.Combine(run, "stages", "BaselineSquad2"), "--format", "parquet", "--data", mnli, "--out", refused);
            Assert.Equal(1, code);
            Assert.Contains($"error: {mnli}: parquet holds labelled examples, but {Path.Combine(run, "stages", "BaselineSquad2")} is an MRC model; give a file of questions.", error);
            Assert.False(File.Exists(refused));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static JsonNode Evaluate(params string[] arguments)
    {
        var (code, stdout, error) = BuildCommandTests.Build(["Evaluate", .. arguments]);
        Assert.True(code == 0, stdout + error);
        return JsonNode.Parse(stdout[stdout.IndexOf('{')..(stdout.LastIndexOf('}') + 1)])!;
    }

    private static JsonNode Reported(string run, string stage) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(run, "stages", stage, "result.json")))!["metrics"]!;
}
