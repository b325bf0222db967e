using System.Text.Json;
using System.Text.Json.Serialization;
using Road.Pipeline;
using Road.Stages;

namespace Road.Inference;

/// <summary>
/// <c>task.json</c> beside a finetuned model's <c>encoder/</c> and <c>head.safetensors</c>: what the head predicts and
/// how its inputs were cut, so the model answers outside the run that trained it exactly as its evaluation did. MRC:
/// window length, stride, question length and QuAC's dialog heads; classification: the label names in head order
/// and whether the inputs are pairs or single texts.
/// </summary>
public sealed record TaskCard(
    string Dataset,
    TaskKind Kind,
    int MaxLength,
    int Stride = 0,
    int MaxQueryLength = 0,
    IReadOnlyList<string>? Labels = null,
    bool SingleText = false,
    bool FollowupHead = false,
    bool YesNoHead = false)
{
    public const string File = "task.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        WriteIndented = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public bool IsMrc => Kind == TaskKind.Mrc;

    /// <summary>The card of a model trained on <paramref name="task"/>.</summary>
    public static TaskCard Of(BoundTask task) => task.Mrc is not null
        ? new(task.Spec.Name, task.Spec.Kind, task.Spec.MaxLength, task.Spec.Stride, task.Spec.MaxQueryLength, FollowupHead: task.Spec.FollowupHead, YesNoHead: task.Spec.YesNoHead)
        : new(task.Spec.Name, task.Spec.Kind, task.Spec.MaxLength, Labels: task.Pairs?.Labels ?? task.Texts!.Labels, SingleText: task.Texts is not null);

    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    public static TaskCard Read(string path)
    {
        if (!System.IO.File.Exists(path))
            throw new RoadException($"{path}: not found; a model folder is a finetuning stage's folder (stages/<stage>/ of a run), with encoder/, head.safetensors and {File}.");
        TaskCard card;
        try
        {
            card = JsonSerializer.Deserialize<TaskCard>(System.IO.File.ReadAllText(path), Json) ?? throw new RoadException($"{path}: null is not a task card.");
        }
        catch (JsonException e)
        {
            throw new RoadException($"{path}: {e.Path ?? "$"}: {e.Message.Split(" Path:")[0]}");
        }
        if (card.MaxLength < 8) throw new RoadException($"{path}: $.max_length is {card.MaxLength}; a model reads at least 8 tokens.");
        if (card.IsMrc && (card.Stride < 1 || card.MaxQueryLength < 1 || card.MaxQueryLength >= card.MaxLength))
            throw new RoadException($"{path}: an MRC card needs $.stride and $.max_query_length above 0 and $.max_query_length below $.max_length.");
        if (!card.IsMrc && card.Labels is not { Count: >= 2 })
            throw new RoadException($"{path}: a classification card needs $.labels, two or more names in the head's order.");
        return card;
    }
}
