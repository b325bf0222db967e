using Road.Pipeline;
using Road.Training;

namespace Road.Tests;

/// <summary>Slurm resources per kind of stage job: one value for all, or kind=value pairs over a default.</summary>
public sealed class StageResourcesTests
{
    private static readonly StageSpec Teacher = new("Teacher-Squad2-0", "Squad2", new FinetuneSettings());
    private static readonly StageSpec Mtl = new("Mtl", "", new FinetuneSettings(), StageKind.MultiTask);
    private static readonly StageSpec Finetune = new("MtlSquad2", "Squad2", new FinetuneSettings(), From: "Mtl");
    private static readonly StageSpec Evaluate = new("EvalSquad2", "Squad2", new FinetuneSettings(), StageKind.Evaluate);

    [Fact]
    public void Kind_values_override_the_value_for_the_other_kinds()
    {
        var resources = StageResources.Parse("gpu,gpu-long,mtl=big", "2:00:00,mtl=1-00:00:00,teacher=4:00:00", "1,mtl=8", ranks: 2);

        Assert.Equal(new SlurmResources("gpu,gpu-long", "4:00:00", 2, 1), resources.For(Teacher));
        Assert.Equal(new SlurmResources("big", "1-00:00:00", 2, 8), resources.For(Mtl));
        Assert.Equal(new SlurmResources("gpu,gpu-long", "2:00:00", 2, 1), resources.For(Finetune));
        Assert.Equal(new SlurmResources("gpu,gpu-long", "2:00:00", 2, 1), resources.For(Evaluate));
    }

    [Fact]
    public void Kinds_not_named_without_a_default_ask_for_nothing()
    {
        var resources = StageResources.Parse(null, "teacher=30:00", null, ranks: 1);

        Assert.Equal(new SlurmResources(null, "30:00", 1, 0), resources.For(Teacher));
        Assert.Equal(new SlurmResources(), resources.For(Mtl));
    }

    [Theory]
    [InlineData(null, "2:00:00,mlt=3:00:00", null, "--time 2:00:00,mlt=3:00:00: mlt is not a kind of stage; the kinds are teacher, mtl, finetune, evaluate, as in --time VALUE,mtl=VALUE.")]
    [InlineData(null, "1:00:00,2:00:00", null, "--time 1:00:00,2:00:00: one value for the kinds not named, not 2.")]
    [InlineData(null, null, "1,mtl=eight", "--gpus-per-node 1,mtl=eight: eight is not a number of GPUs.")]
    [InlineData("mtl=", null, null, "--partition mtl=: mtl= needs a value.")]
    [InlineData(null, "mtl=1:00:00,mtl=2:00:00", null, "--time mtl=1:00:00,mtl=2:00:00: mtl is given twice.")]
    public void Mistakes_are_named_with_the_option(string? partition, string? time, string? gpus, string message)
    {
        var error = Assert.Throws<RoadException>(() => StageResources.Parse(partition, time, gpus, ranks: 1));
        Assert.Equal(message, error.Message);
    }
}
