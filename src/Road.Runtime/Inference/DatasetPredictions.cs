using System.Text.Encodings.Web;
using System.Text.Json;
using Road.Data.Readers;
using Road.Evaluation;
using Road.Training;

namespace Road.Inference;

/// <summary>What <see cref="DatasetPredictions.Write"/> wrote: the files, and how many examples they answer.</summary>
public sealed record PredictionFiles(int Examples, string Predictions, string? NaProbs);

/// <summary>
/// A model's predictions for a whole dataset file in the official formats, which <c>./build.sh Evaluate</c> scores:
/// MRC models write <c>predictions.json</c> (id -> text, "" for no answer) and <c>na_probs.json</c> beside it;
/// classification models write id -> label name. Files appear only once every example is predicted.
/// </summary>
public static class DatasetPredictions
{
    public const string NaProbsFile = "na_probs.json";

    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static PredictionFiles Write(TrainedModel model, string format, string dataPath, string predictionsPath, ITrainingProgress progress)
    {
        var contents = DatasetFormats.Read(format, dataPath, new ReaderReport());
        string task = $"Predicting {Path.GetFileName(dataPath)} ({(model.Card.IsMrc ? "windows" : "examples")})";
        var started = System.Diagnostics.Stopwatch.StartNew();
        void Done(int done, int total) => progress.Report(new TrainingTick(task, done, total, double.NaN, done / started.Elapsed.TotalSeconds));
        string folder = Path.GetDirectoryName(Path.GetFullPath(predictionsPath))!;
        Directory.CreateDirectory(folder);
        if (model.Card.IsMrc)
        {
            var questions = contents.Questions?.ToList() ?? throw new RoadException($"{dataPath}: {format} holds labelled examples, but {model.Folder} is an MRC model; give a file of questions.");
            var answers = new QuestionAnswerer(model).Predict(questions, Done);
            var predictions = answers.Select(a => new MrcPrediction(a.Id, a.Text, a.NoAnswerProbability)).ToList();
            string naProbs = Path.Combine(folder, NaProbsFile);
            MrcPredictionFiles.Write(predictions, predictionsPath, naProbs);
            return new PredictionFiles(questions.Count, predictionsPath, naProbs);
        }
        if (contents.Questions is not null) throw new RoadException($"{dataPath}: {format} holds questions, but {model.Folder} classifies ({model.Card.Dataset}); give a labelled file of its task.");
        if (!contents.LabelNames.SequenceEqual(model.Card.Labels!))
            throw new RoadException($"{dataPath}: {format}'s labels ({string.Join(", ", contents.LabelNames)}) are not the model's ({string.Join(", ", model.Card.Labels!)}); give a file of the task it was trained on.");
        if ((contents.Texts is not null) != model.Card.SingleText)
            throw new RoadException($"{dataPath}: {format} holds {(contents.Texts is null ? "sentence pairs" : "single texts")}, but the model reads {(model.Card.SingleText ? "single texts" : "sentence pairs")}.");
        var classifier = new TextClassifier(model);
        var pairs = contents.Pairs?.ToList();
        var texts = contents.Texts?.ToList();
        var ids = pairs?.Select(p => p.Id).ToList() ?? texts!.Select(t => t.Id).ToList();
        var classes = classifier.Predict(classifier.Features(pairs, texts), Done);
        AtomicFile.Write(predictionsPath, temp =>
        {
            using var stream = File.Create(temp);
            using var writer = new Utf8JsonWriter(stream, Options);
            writer.WriteStartObject();
            for (int i = 0; i < ids.Count; i++) writer.WriteString(ids[i], classes[i].Label);
            writer.WriteEndObject();
        });
        return new PredictionFiles(ids.Count, predictionsPath, null);
    }
}
