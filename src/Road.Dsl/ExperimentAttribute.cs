using System;

namespace Road
{
    /// <summary>Declares an experiment: a partial class whose properties bind datasets to task heads and stages.</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class ExperimentAttribute : Attribute
    {
        public ExperimentAttribute(string name) => Name = name;

        /// <summary>The name <c>./build.sh RunExperiment --name</c> finds it by.</summary>
        public string Name { get; }

        /// <summary>One line for <c>ListExperiments</c> and the report.</summary>
        public string Description { get; set; } = "";

        /// <summary>The seed of the run (overridden by <c>--seed</c>).</summary>
        public int Seed { get; set; } = RoadDefaults.Seed;

        /// <summary>How many seeds the paper-style report averages over (overridden by <c>--runs</c>).</summary>
        public int Runs { get; set; } = RoadDefaults.Runs;
    }
}

namespace Road
{
    /// <summary>
    /// Declares datasets and stages that several experiments share: an abstract partial class whose properties carry
    /// task and stage attributes. An <c>[Experiment]</c> class deriving from it has them first, then its own: the
    /// multi-task datasets of several tables, or one table's stages run on several encoders.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
    public sealed class ExperimentBaseAttribute : Attribute
    {
    }
}
