using System;
using System.Collections.Generic;

namespace Road.Generators.Diagnostics
{
    /// <summary>The valid range of every numeric attribute property, checked by ROAD003.</summary>
    internal static class HyperparameterRules
    {
        public sealed class Rule
        {
            public Rule(Func<double, bool> isValid, string expectation)
            {
                IsValid = isValid;
                Expectation = expectation;
            }

            public Func<double, bool> IsValid { get; }
            public string Expectation { get; }
        }

        private static readonly Rule Positive = new Rule(v => v > 0, "greater than 0");
        private static readonly Rule NonNegative = new Rule(v => v >= 0, "0 or more");
        private static readonly Rule Fraction = new Rule(v => v >= 0 && v < 1, "in [0, 1)");
        private static readonly Rule LearningRate = new Rule(v => v > 0 && v < 1, "in (0, 1)");
        private static readonly Rule Ratio = new Rule(v => v > 0 && v <= 1, "in (0, 1]");
        private static readonly Rule OpenUnit = new Rule(v => v > 0 && v < 1, "in (0, 1)");
        private static readonly Rule Unit = new Rule(v => v >= 0 && v <= 1, "in [0, 1]");

        private static readonly Dictionary<string, Dictionary<string, Rule>> ByAttribute = new Dictionary<string, Dictionary<string, Rule>>
        {
            [KnownNames.Experiment] = new Dictionary<string, Rule> { ["Seed"] = NonNegative, ["Runs"] = Positive },
            [KnownNames.Encoder] = new Dictionary<string, Rule>
            {
                ["EmbeddingSize"] = Positive, ["HiddenSize"] = Positive, ["Layers"] = Positive, ["Heads"] = Positive,
                ["IntermediateSize"] = Positive, ["MaxPositions"] = Positive, ["Dropout"] = Fraction,
            },
            [KnownNames.MrcTask] = new Dictionary<string, Rule>
            {
                ["MaxTrainExamples"] = NonNegative, ["MaxLength"] = Positive, ["Stride"] = NonNegative, ["MaxQueryLength"] = Positive,
            },
            [KnownNames.NliTask] = new Dictionary<string, Rule> { ["MaxTrainExamples"] = NonNegative, ["MaxLength"] = Positive },
            [KnownNames.SentimentTask] = new Dictionary<string, Rule> { ["MaxTrainExamples"] = NonNegative, ["MaxLength"] = Positive, ["Classes"] = new Rule(v => v >= 2, "2 or more") },
            [KnownNames.ParaphraseTask] = new Dictionary<string, Rule> { ["MaxTrainExamples"] = NonNegative, ["MaxLength"] = Positive },
            [KnownNames.Finetune] = new Dictionary<string, Rule>
            {
                ["Epochs"] = Positive, ["BatchSize"] = Positive, ["LearningRate"] = LearningRate, ["WarmupFraction"] = Fraction,
                ["WeightDecay"] = NonNegative, ["MaxGradNorm"] = Positive, ["LayerDecay"] = Ratio, ["GradientAccumulation"] = Positive,
            },
            [KnownNames.Teacher] = new Dictionary<string, Rule> { ["Seeds"] = Positive, ["Epochs"] = Positive, ["BatchSize"] = Positive, ["LearningRate"] = LearningRate },
            [KnownNames.MultiTaskPretraining] = new Dictionary<string, Rule>
            {
                ["Steps"] = Positive, ["BatchSize"] = Positive, ["ExamplesPerPass"] = Positive, ["LearningRate"] = LearningRate,
                ["LayerDecay"] = Ratio, ["SamplingTemperature"] = Positive,
            },
            [KnownNames.KnowledgeDistillation] = new Dictionary<string, Rule> { ["Temperature"] = Positive, ["Alpha"] = Unit },
            [KnownNames.TeacherEnsemble] = new Dictionary<string, Rule> { ["Temperature"] = Positive, ["Alpha"] = Unit, ["Teachers"] = Positive },
            [KnownNames.WeightedKd] = new Dictionary<string, Rule> { ["W"] = OpenUnit, ["Temperature"] = Positive, ["Alpha"] = Unit },
            [KnownNames.TeacherAnnealing] = new Dictionary<string, Rule> { ["Teachers"] = Positive },
            [KnownNames.NegativeQuestions] = new Dictionary<string, Rule> { ["Ratio"] = Ratio },
            [KnownNames.LabelSmoothing] = new Dictionary<string, Rule> { ["Epsilon"] = Fraction },
        };

        public static Rule? Find(string attribute, string property) =>
            ByAttribute.TryGetValue(attribute, out var rules) && rules.TryGetValue(property, out var rule) ? rule : null;
    }
}
