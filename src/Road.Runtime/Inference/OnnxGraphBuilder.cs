using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace Road.Inference;

/// <summary>
/// Builds an ONNX graph node by node with OnnxSharp's protobuf types: weights become float32 initializers (a weight
/// used twice, as ALBERT shares its layers, is stored once), every node output gets a fresh name, and inputs and
/// outputs carry named dynamic axes.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph = new() { Name = "road" };
    private readonly Dictionary<string, string> _initializers = new(StringComparer.Ordinal);
    private int _next;

    public string Weight(string name, Tensor value, bool transpose = false)
    {
        string key = transpose ? name + ".T" : name;
        if (_initializers.TryGetValue(key, out var existing)) return existing;
        using var scope = NewDisposeScope();
        var data = (transpose ? value.t() : value).detach().to(ScalarType.Float32).cpu().contiguous();
        var proto = new TensorProto { Name = key, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(data.bytes) };
        proto.Dims.AddRange(data.shape);
        _graph.Initializer.Add(proto);
        return _initializers[key] = key;
    }

    public string Longs(params long[] values) => Constant(new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64, Dims = { values.Length } }, t => t.Int64Data.AddRange(values));

    public string Long(long value) => Constant(new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64 }, t => t.Int64Data.Add(value));

    public string Float(float value) => Constant(new TensorProto { DataType = (int)TensorProto.Types.DataType.Float }, t => t.FloatData.Add(value));

    private string Constant(TensorProto proto, Action<TensorProto> fill)
    {
        fill(proto);
        proto.Name = $"const_{_next++}";
        _graph.Initializer.Add(proto);
        return proto.Name;
    }

    public string Node(string op, IEnumerable<string> inputs, params AttributeProto[] attributes) => Nodes(op, inputs, 1, attributes)[0];

    public string[] Nodes(string op, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{_next++}" };
        node.Input.AddRange(inputs);
        for (int i = 0; i < outputs; i++) node.Output.Add($"{node.Name}_out{i}");
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return [.. node.Output];
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Real(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public void Input(string name, TensorProto.Types.DataType type, params string[] axes) => _graph.Input.Add(Value(name, type, axes));

    /// <summary>Names <paramref name="value"/> as a graph output (an Identity node gives it the public name).</summary>
    public void Output(string name, string value, TensorProto.Types.DataType type, params object[] axes)
    {
        var node = new NodeProto { OpType = "Identity", Name = $"output_{name}" };
        node.Input.Add(value);
        node.Output.Add(name);
        _graph.Node.Add(node);
        _graph.Output.Add(Value(name, type, axes));
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, IEnumerable<object> axes)
    {
        var shape = new TensorShapeProto();
        foreach (var axis in axes)
            shape.Dim.Add(axis is string symbol ? new TensorShapeProto.Types.Dimension { DimParam = symbol } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(axis, System.Globalization.CultureInfo.InvariantCulture) });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    public ModelProto Model(int opset, string producer, string version)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = producer, ProducerVersion = version, Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }
}
