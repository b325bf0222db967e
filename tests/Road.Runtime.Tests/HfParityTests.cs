using Road.Encoders;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Road.Tests;

/// <summary>Road's encoders against HuggingFace transformers' outputs, one test case per fixture folder.</summary>
public sealed class HfParityTests
{
    public const double Tolerance = 1e-5;

    /// <summary>Fixture folders under <c>Fixtures/hf-reference</c> and those named in ROAD_EXTRA_HF_FIXTURES, by folder name.</summary>
    private static readonly Dictionary<string, string> Folders = ReferenceFiles.Discover(
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf-reference"), "*-tiny", "ROAD_EXTRA_HF_FIXTURES", folders: true);

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var name in Folders.Keys) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Last_hidden_state_matches_transformers(string name)
    {
        string fixture = Folders[name];
        using var scope = NewDisposeScope();
        var encoder = EncoderCheckpoint.Load(fixture);
        encoder.eval();
        var expected = Safetensors.LoadStateDict(Path.Combine(fixture, "expected.safetensors"));
        using var noGrad = no_grad();
        var actual = encoder.forward(expected["input_ids"], expected["attention_mask"], expected["token_type_ids"]);
        var reference = expected["last_hidden_state"];
        Assert.Equal(reference.shape, actual.shape);
        double worst = (actual - reference).abs().max().item<float>();
        Assert.True(worst <= Tolerance, $"{Path.GetFileName(fixture)}: max |road - hf| = {worst:E2} > {Tolerance:E0}");
        if (expected.TryGetValue("pooler_output", out var pooled))
        {
            var actualPooled = encoder.Pool(actual);
            Assert.NotNull(actualPooled);
            double worstPooled = (actualPooled - pooled).abs().max().item<float>();
            Assert.True(worstPooled <= Tolerance, $"{Path.GetFileName(fixture)}: pooler max |road - hf| = {worstPooled:E2}");
        }
        // The fixture pads rows 1 and 2; make sure padded positions were compared, not skipped.
        Assert.Contains(0L, expected["attention_mask"].flatten().data<long>().ToArray());
    }
}
