using System.Globalization;
using System.Text;
using Road.Pipeline;
using Road.Reporting;
using Road.Training;

namespace Road.Tests;

/// <summary>
/// TensorBoard event files read back with a decoder of the test's own (a bitwise CRC32C and a hand-rolled protobuf
/// reader, sharing nothing with the writer): TFRecord framing with masked checksums, the version event, and every
/// training step's scalars equal to the stage's losses.tsv, then its dev metrics.
/// </summary>
public sealed class TensorBoardTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("road-tensorboard-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public void The_test_decoders_checksum_is_crc32c_and_agrees_with_the_writers()
    {
        byte[] check = Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xE3069283u, Crc32C(check)); // the standard check value of CRC-32C (Castagnoli)
        var random = new Random(3);
        foreach (int length in new[] { 0, 1, 7, 8, 9, 63, 1000 })
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            Assert.Equal(Crc32C(bytes), TensorBoardEvents.Crc32C(bytes));
        }
    }

    [Fact]
    public void A_run_writes_every_steps_scalars_and_the_dev_metrics_per_stage()
    {
        var entry = ShortRuns.Shortened("tiny-table4", trainExamples: 64, epochs: 1, multiTaskSteps: 6);
        var outcome = ExperimentRunner.Run(entry, new RunOptions(Output: _output), new SilentProgress());

        var result = outcome.Results.Single(r => r.Stage == "MtlNli");
        string folder = outcome.Folder.File("tensorboard", "MtlNli");
        var events = Read(Assert.Single(Directory.GetFiles(folder, "events.out.tfevents.*")));

        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var steps = File.ReadAllLines(outcome.Folder.File("stages", "MtlNli", "losses.tsv")).Skip(1).Select(l => l.Split('\t')).ToList();
        Assert.Equal(result.Training.Steps, steps.Count);
        var training = events.Skip(1).Take(steps.Count).ToList();
        for (int i = 0; i < steps.Count; i++)
        {
            Assert.Equal(i + 1, training[i].Step);
            Assert.Equal(["train/loss", "train/learning_rate", "train/grad_norm", "train/examples_per_second"], training[i].Values.Select(v => v.Tag));
            for (int column = 1; column <= 3; column++)
                Assert.Equal((float)double.Parse(steps[i][column], CultureInfo.InvariantCulture), training[i].Values[column - 1].Value);
            Assert.True(training[i].Values[3].Value > 0);
            Assert.True(training[i].WallTime > 1.7e9);
        }
        var dev = events[steps.Count + 1];
        Assert.Equal(result.Training.Steps, dev.Step);
        Assert.Equal((float)result.Metrics["accuracy"], dev.Values.Single(v => v.Tag == "dev/accuracy").Value);
        Assert.Equal(steps.Count + 2, events.Count);
        // A multi-task stage: its steps, then each dataset's dev metrics.
        var mtl = Read(Directory.GetFiles(outcome.Folder.File("tensorboard", "Mtl")).Single());
        Assert.All(mtl.Skip(1).SkipLast(1), e => Assert.StartsWith("train/", e.Values[0].Tag));
        Assert.Contains("dev/FactsNli.accuracy", mtl[^1].Values.Select(v => v.Tag));
    }

    private sealed record Scalar(string Tag, float Value);

    private sealed record Event(double WallTime, long Step, string? FileVersion, List<Scalar> Values);

    // TFRecord: uint64 length, masked CRC32C of it, the data, masked CRC32C of the data.
    private static List<Event> Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        var events = new List<Event>();
        int at = 0;
        while (at < file.Length)
        {
            ulong length = BitConverter.ToUInt64(file, at);
            Assert.Equal(Masked(Crc32C(file.AsSpan(at, 8))), BitConverter.ToUInt32(file, at + 8));
            var data = file.AsSpan(at + 12, (int)length);
            Assert.Equal(Masked(Crc32C(data)), BitConverter.ToUInt32(file, at + 12 + (int)length));
            events.Add(ParseEvent(data.ToArray()));
            at += 12 + (int)length + 4;
        }
        return events;
    }

    private static Event ParseEvent(byte[] data)
    {
        double wall = 0;
        long step = 0;
        string? version = null;
        var values = new List<Scalar>();
        foreach (var (field, wire, payload, number) in Fields(data))
        {
            if (field == 1 && wire == 1) wall = BitConverter.ToDouble(payload);
            else if (field == 2 && wire == 0) step = (long)number;
            else if (field == 3 && wire == 2) version = Encoding.UTF8.GetString(payload);
            else if (field == 5 && wire == 2)
                foreach (var value in Fields(payload).Where(f => f.Field == 1))
                {
                    var parts = Fields(value.Payload).ToList();
                    values.Add(new Scalar(Encoding.UTF8.GetString(parts.Single(p => p.Field == 1).Payload), BitConverter.ToSingle(parts.Single(p => p.Field == 2 && p.Wire == 5).Payload)));
                }
            else Assert.Fail($"unexpected field {field} (wire type {wire}) in an Event");
        }
        return new Event(wall, step, version, values);
    }

    // A protobuf message's fields: number, wire type, the bytes of fixed-size and length-delimited ones, varints' values.
    private static IEnumerable<(int Field, int Wire, byte[] Payload, ulong Number)> Fields(byte[] data)
    {
        int at = 0;
        ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = data[at++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80) return value;
            }
        }
        while (at < data.Length)
        {
            ulong key = Varint();
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: yield return (field, wire, [], Varint()); break;
                case 1: yield return (field, wire, data[at..(at += 8)], 0); break;
                case 5: yield return (field, wire, data[at..(at += 4)], 0); break;
                case 2:
                    int length = (int)Varint();
                    yield return (field, wire, data[at..(at += length)], 0);
                    break;
                default: throw new InvalidDataException($"wire type {wire}");
            }
        }
    }

    // CRC-32C bit by bit (reflected polynomial 0x82F63B78), independent of the writer's hardware instruction.
    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }

    private static uint Masked(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8;
}
