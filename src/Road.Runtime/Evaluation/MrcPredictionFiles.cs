using System.Text.Encodings.Web;
using System.Text.Json;

namespace Road.Evaluation;

/// <summary>Writes predictions in the official SQuAD 2.0 formats: <c>predictions.json</c> (id -> text, "" for no
/// answer) and <c>na_probs.json</c> (id -> no-answer probability), which <c>./build.sh Evaluate</c> reads back.</summary>
public static class MrcPredictionFiles
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(IReadOnlyList<MrcPrediction> predictions, string predictionsPath, string naProbsPath)
    {
        AtomicFile.Write(predictionsPath, temp => WriteObject(temp, predictions, (w, p) => w.WriteString(p.Id, p.Text)));
        AtomicFile.Write(naProbsPath, temp => WriteObject(temp, predictions, (w, p) => w.WriteNumber(p.Id, p.NoAnswerProbability)));
    }

    private static void WriteObject(string path, IReadOnlyList<MrcPrediction> predictions, Action<Utf8JsonWriter, MrcPrediction> member)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, Options);
        writer.WriteStartObject();
        foreach (var p in predictions) member(writer, p);
        writer.WriteEndObject();
    }
}
