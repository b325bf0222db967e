using System.Text;
using Road.Encoders;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Road.Tests;

/// <summary>Checkpoint folders in every layout HF writes, broken ones, and Road's own saving.</summary>
public sealed class CheckpointTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "hf-reference");
    private readonly string _folder = Directory.CreateTempSubdirectory("road-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Tensor Forward(EncoderModel encoder, string fixture)
    {
        var inputs = Safetensors.LoadStateDict(Path.Combine(Fixtures, fixture, "expected.safetensors"));
        encoder.eval();
        using var noGrad = no_grad();
        return encoder.forward(inputs["input_ids"], inputs["attention_mask"], inputs["token_type_ids"]);
    }

    private static Tensor Reference(string fixture) =>
        Safetensors.LoadStateDict(Path.Combine(Fixtures, fixture, "expected.safetensors"))["last_hidden_state"];

    private static void AssertMatches(Tensor expected, Tensor actual) =>
        Assert.True((expected - actual).abs().max().item<float>() <= HfParityTests.Tolerance);

    private string CopyConfig(string fixture)
    {
        string target = Path.Combine(_folder, fixture);
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(Fixtures, fixture, "config.json"), Path.Combine(target, "config.json"));
        return target;
    }

    private static Dictionary<string, Tensor> Weights(string fixture) => Safetensors.LoadStateDict(Path.Combine(Fixtures, fixture, "model.safetensors"));

    [Theory]
    [InlineData("bert-tiny")]
    [InlineData("electra-tiny")]
    public void Pickled_pytorch_model_bin_loads_like_safetensors(string fixture)
    {
        string folder = CopyConfig(fixture);
        PyTorchPickler.PickleStateDict(Path.Combine(folder, "pytorch_model.bin"), Weights(fixture));
        AssertMatches(Reference(fixture), Forward(EncoderCheckpoint.Load(folder), fixture));
    }

    [Fact]
    public void Sharded_safetensors_with_an_index_load_whole()
    {
        string folder = CopyConfig("albert-tiny");
        var weights = Weights("albert-tiny");
        var names = weights.Keys.Order(StringComparer.Ordinal).ToList();
        var first = names.Take(names.Count / 2).ToDictionary(k => k, k => weights[k]);
        var second = names.Skip(names.Count / 2).ToDictionary(k => k, k => weights[k]);
        Safetensors.SaveStateDict(Path.Combine(folder, "model-00001-of-00002.safetensors"), first);
        Safetensors.SaveStateDict(Path.Combine(folder, "model-00002-of-00002.safetensors"), second);
        var map = string.Join(",", first.Keys.Select(k => $"\"{k}\": \"model-00001-of-00002.safetensors\"")
            .Concat(second.Keys.Select(k => $"\"{k}\": \"model-00002-of-00002.safetensors\"")));
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"), $"{{\"metadata\": {{}}, \"weight_map\": {{{map}}}}}");
        AssertMatches(Reference("albert-tiny"), Forward(EncoderCheckpoint.Load(folder), "albert-tiny"));
    }

    [Fact]
    public void Unprefixed_keys_with_legacy_gamma_and_beta_names_load()
    {
        string folder = CopyConfig("bert-tiny");
        var renamed = Weights("bert-tiny").ToDictionary(
            kv => kv.Key.Replace("bert.", "").Replace("LayerNorm.weight", "LayerNorm.gamma").Replace("LayerNorm.bias", "LayerNorm.beta"),
            kv => kv.Value);
        Assert.Contains("embeddings.LayerNorm.gamma", renamed.Keys);
        Safetensors.SaveStateDict(Path.Combine(folder, "model.safetensors"), renamed);
        AssertMatches(Reference("bert-tiny"), Forward(EncoderCheckpoint.Load(folder), "bert-tiny"));
    }

    [Fact]
    public void Saving_writes_hf_names_and_loads_back_bit_for_bit()
    {
        var original = EncoderCheckpoint.Load(Path.Combine(Fixtures, "electra-tiny"));
        string saved = Path.Combine(_folder, "saved");
        EncoderCheckpoint.Save(original, saved);
        var keys = Safetensors.LoadStateDict(Path.Combine(saved, "model.safetensors")).Keys.ToList();
        Assert.Contains("electra.embeddings_project.weight", keys);
        Assert.All(keys, k => Assert.StartsWith("electra.", k));
        Assert.Contains("\"model_type\": \"electra\"", File.ReadAllText(Path.Combine(saved, "config.json")));
        var before = Forward(original, "electra-tiny");
        var after = Forward(EncoderCheckpoint.Load(saved), "electra-tiny");
        Assert.True(before.equal(after).all().item<bool>(), "reloaded outputs differ");
    }

    [Fact]
    public void Loading_draws_no_weights_and_gives_trainable_float32_parameters_from_a_half_precision_file()
    {
        string folder = CopyConfig("electra-tiny");
        var half = Weights("electra-tiny").ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float16));
        Safetensors.SaveStateDict(Path.Combine(folder, "model.safetensors"), half);
        manual_seed(7);
        var expected = rand(8);
        manual_seed(7);
        var loaded = EncoderCheckpoint.LoadWithReport(folder);
        Assert.True(rand(8).equal(expected).all().item<bool>(), "loading a checkpoint moved the torch generator");
        Assert.Equal(new Dictionary<string, int> { ["float16"] = half.Count }, loaded.StoredDtypes);
        foreach (var (name, parameter) in loaded.Encoder.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            Assert.Equal(TorchSharp.DeviceType.CPU, parameter.device_type);
            Assert.True(parameter.requires_grad && parameter.is_leaf, $"{name} is not a trainable leaf");
            Assert.True(parameter.equal(half["electra." + name].to(ScalarType.Float32)).all().item<bool>(), $"{name} differs from the file");
        }
    }

    [Theory]
    [InlineData(new[] { 3e38f, 3e38f, -1f }, true)] // finite values whose float32 sum would overflow
    [InlineData(new[] { 1f, float.PositiveInfinity }, false)]
    [InlineData(new[] { float.PositiveInfinity, float.NegativeInfinity }, false)]
    [InlineData(new[] { 0f, float.NaN }, false)]
    public void Finiteness_is_decided_exactly(float[] values, bool finite) => Assert.Equal(finite, ModuleWeights.AllFinite(tensor(values)));

    [Fact]
    public void A_truncated_safetensors_file_is_one_clear_error()
    {
        string folder = CopyConfig("electra-tiny");
        var bytes = File.ReadAllBytes(Path.Combine(Fixtures, "electra-tiny", "model.safetensors"));
        File.WriteAllBytes(Path.Combine(folder, "model.safetensors"), bytes[..(bytes.Length - 100)]);
        var error = Assert.Throws<RoadException>(() => EncoderCheckpoint.Load(folder));
        Assert.Contains("model.safetensors: $[\"", error.Message);
        Assert.Contains("lie outside the", error.Message);
    }

    [Fact]
    public void A_header_larger_than_the_file_is_one_clear_error_without_allocating_it()
    {
        string folder = CopyConfig("electra-tiny");
        var bytes = File.ReadAllBytes(Path.Combine(Fixtures, "electra-tiny", "model.safetensors"));
        BitConverter.GetBytes((ulong)1 << 40).CopyTo(bytes, 0);
        File.WriteAllBytes(Path.Combine(folder, "model.safetensors"), bytes);
        var error = Assert.Throws<RoadException>(() => EncoderCheckpoint.Load(folder));
        Assert.Contains("the header claims 1099511627776 bytes but the file holds", error.Message);
    }

    [Fact]
    public void Offsets_out_of_range_are_one_clear_error()
    {
        string folder = CopyConfig("electra-tiny");
        string header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000000],\"data_offsets\":[0,4000000000]}}";
        var bytes = BitConverter.GetBytes((ulong)header.Length).Concat(Encoding.ASCII.GetBytes(header)).Concat(new byte[16]).ToArray();
        File.WriteAllBytes(Path.Combine(folder, "model.safetensors"), bytes);
        var error = Assert.Throws<RoadException>(() => EncoderCheckpoint.Load(folder));
        Assert.Contains("$[\"w\"].data_offsets [0,4000000000] lie outside the 16-byte data section", error.Message);
    }

    [Fact]
    public void Wrong_shapes_and_missing_keys_are_listed_in_one_message()
    {
        string folder = CopyConfig("electra-tiny");
        File.WriteAllText(Path.Combine(folder, "config.json"), File.ReadAllText(Path.Combine(folder, "config.json")).Replace("\"intermediate_size\": 37", "\"intermediate_size\": 40"));
        var weights = Weights("electra-tiny");
        weights.Remove("electra.encoder.layer.1.output.LayerNorm.bias");
        Safetensors.SaveStateDict(Path.Combine(folder, "model.safetensors"), weights);
        var error = Assert.Throws<RoadException>(() => EncoderCheckpoint.Load(folder));
        Assert.Contains("missing keys: encoder.layer.1.output.LayerNorm.bias", error.Message);
        Assert.Contains("encoder.layer.0.intermediate.dense.weight: checkpoint [37, 32], config.json implies [40, 32]", error.Message);
    }

    [Fact]
    public void A_truncated_pytorch_model_bin_is_one_clear_error()
    {
        string folder = CopyConfig("bert-tiny");
        string bin = Path.Combine(folder, "pytorch_model.bin");
        PyTorchPickler.PickleStateDict(bin, Weights("bert-tiny"));
        var bytes = File.ReadAllBytes(bin);
        File.WriteAllBytes(bin, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<RoadException>(() => EncoderCheckpoint.Load(folder));
        Assert.Contains("pytorch_model.bin: not a readable PyTorch state dict", error.Message);
    }

    [Fact]
    public void A_checkpoint_saved_with_the_position_ids_buffer_loads_and_lists_it()
    {
        // transformers 3.x to 4.30 saved BERT's position_ids buffer; HF ignores it on load.
        string folder = CopyConfig("bert-tiny");
        var weights = Weights("bert-tiny");
        weights["bert.embeddings.position_ids"] = arange(64, dtype: ScalarType.Int64).unsqueeze(0);
        Safetensors.SaveStateDict(Path.Combine(folder, "model.safetensors"), weights);
        var loaded = EncoderCheckpoint.LoadWithReport(folder);
        AssertMatches(Reference("bert-tiny"), Forward(loaded.Encoder, "bert-tiny"));
        Assert.Contains(new IgnoredKey("bert.embeddings.position_ids", "buffer transformers rebuilds"), loaded.Ignored);
        Assert.Contains(new IgnoredKey("cls.predictions.transform.dense.weight", "pretraining or task head"), loaded.Ignored);
    }

    [Fact]
    public void Electra_generator_keys_and_bare_buffers_are_ignored_and_listed()
    {
        string folder = CopyConfig("electra-tiny");
        var weights = Weights("electra-tiny");
        weights["generator.embeddings.word_embeddings.weight"] = zeros(99, 16);
        weights["generator_lm_head.bias"] = zeros(99);
        weights["electra.embeddings.token_type_ids"] = zeros(1, 64, dtype: ScalarType.Int64);
        Safetensors.SaveStateDict(Path.Combine(folder, "model.safetensors"), weights);
        var loaded = EncoderCheckpoint.LoadWithReport(folder);
        AssertMatches(Reference("electra-tiny"), Forward(loaded.Encoder, "electra-tiny"));
        Assert.Equal(["buffer transformers rebuilds", "ELECTRA generator", "ELECTRA generator"],
            loaded.Ignored.Where(k => !k.Key.StartsWith("discriminator_predictions.", StringComparison.Ordinal)).Select(k => k.Reason));
    }

    [Fact]
    public void Non_finite_weights_are_one_clear_error()
    {
        string folder = CopyConfig("electra-tiny");
        var weights = Weights("electra-tiny");
        weights["electra.encoder.layer.0.attention.self.query.weight"][0, 0] = float.NaN;
        Safetensors.SaveStateDict(Path.Combine(folder, "model.safetensors"), weights);
        var error = Assert.Throws<RoadException>(() => EncoderCheckpoint.Load(folder));
        Assert.Contains("NaN or infinite values in: encoder.layer.0.attention.self.query.weight", error.Message);
    }

    [Theory]
    [InlineData("\"model_type\": \"electra\"", "\"model_type\": \"roberta\"", "model_type \"roberta\" is not supported; Road has encoders for electra, bert, albert.")]
    [InlineData("\"model_type\": \"electra\",", "", "no \"model_type\" (and no architecture Road knows)", "ElectraForPreTraining", "T5Model")]
    public void Config_model_types_road_cannot_build_are_named(string from, string to, string message, string architecture = "", string otherArchitecture = "")
    {
        string folder = CopyConfig("electra-tiny");
        string config = Path.Combine(folder, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace(from, to).Replace(architecture.Length > 0 ? architecture : "\0", otherArchitecture));
        var error = Assert.Throws<RoadException>(() => EncoderCheckpoint.ReadConfig(folder));
        Assert.StartsWith(config + ":", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_config_without_model_type_takes_it_from_its_architecture()
    {
        string folder = CopyConfig("electra-tiny");
        string config = Path.Combine(folder, "config.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(config))!.AsObject();
        json.Remove("model_type");
        json["architectures"] = new System.Text.Json.Nodes.JsonArray("ElectraForPreTraining");
        File.WriteAllText(config, json.ToJsonString());
        Assert.Equal("electra", EncoderCheckpoint.ReadConfig(folder).ModelType);
    }

    [Fact]
    public void Inspection_reads_every_tensor_and_names_size_tokenizer_and_ignored_keys()
    {
        var inspection = CheckpointInspection.Of(Path.Combine(Fixtures, "electra-tiny"));
        // Embeddings 99x16 + 64x16 + 2x16 + LayerNorm 2x16, projection 16x32+32, two layers of 4x(32x32+32) + 2x32 + 32x37+37 + 37x32+32 + 2x32.
        long layer = 4 * (32 * 32 + 32) + 2 * 32 + (32 * 37 + 37) + (37 * 32 + 32) + 2 * 32;
        Assert.Equal(99 * 16 + 64 * 16 + 2 * 16 + 2 * 16 + 16 * 32 + 32 + 2 * layer, inspection.Parameters);
        Assert.Equal("WordPiece, 99 tokens, lowercase=True strip_accents=True chinese_chars=True", inspection.Tokenizer);
        string text = inspection.ToText();
        Assert.Contains("architecture  electra: 2 layers, hidden 32, 4 heads, intermediate 37, embedding 16, gelu", text);
        Assert.Contains("stored dtypes float32 (43 tensors)", text);
        Assert.Contains("pretraining or task head: discriminator_predictions.dense.bias,", text);
    }
}
