using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Road.Generators.Model;

namespace Road.Generators
{
    public sealed partial class ExperimentGenerator
    {
        /// <summary>Turns an <c>[Experiment]</c> class into the plain model the emitter writes from.</summary>
        internal static class Parser
        {
            public static ExperimentSpecModel Parse(INamedTypeSymbol type, AttributeData experiment)
            {
                var encoder = type.GetAttributes().FirstOrDefault(a => Is(a, KnownNames.Encoder));
                var tasks = SharedBases(type).SelectMany(b => Tasks(b, inherited: true)).ToList();
                tasks.AddRange(Tasks(type, inherited: false));
                var stages = SharedBases(type).SelectMany(b => Stages(b, inherited: true)).ToList();
                stages.AddRange(Stages(type, inherited: false));
                // Multi-task pretraining may name a [ExperimentBase] class for all of its datasets.
                var groups = SharedBases(type).ToDictionary(b => b.Name, b => Tasks(b, inherited: true).Select(t => t.PropertyName).ToList());
                stages = stages.Select(s => s.Datasets.Any(groups.ContainsKey)
                    ? s with { Datasets = new EquatableArray<string>(s.Datasets.SelectMany(d => groups.TryGetValue(d, out var names) ? names : new List<string> { d }).Distinct()) }
                    : s).ToList();
                // Teachers no stage distils from are not trained (an experiment base declares teachers some experiments skip).
                tasks = tasks.Select(t => stages.Any(s => s.Distillation is not null && TrainsOn(s, t.PropertyName))
                    ? t : t with { TeacherSeeds = 0, OtherTeachers = new EquatableArray<TeacherGroupModel>(Enumerable.Empty<TeacherGroupModel>()) }).ToList();
                return new ExperimentSpecModel(
                    type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString(),
                    type.Name,
                    IsPartial(type),
                    SharedBases(type).Any(),
                    Argument(experiment, 0, ""),
                    Named(experiment, "Description", ""),
                    Named(experiment, "Seed", RoadDefaults.Seed),
                    Named(experiment, "Runs", RoadDefaults.Runs),
                    Encoder(encoder),
                    new EquatableArray<TaskSpecModel>(tasks),
                    new EquatableArray<StageSpecModel>(stages),
                    new EquatableArray<TeacherEncoderModel>(type.GetAttributes().Where(a => Is(a, KnownNames.TeacherEncoder))
                        .Select(a => new TeacherEncoderModel(Argument(a, 0, ""), Encoder(a, familyArgument: 1), Named(a, "Experiment", ""), Named(a, "Stage", "")))));
            }

            /// <summary>An <c>[ExperimentBase]</c> class and its own dataset and stage properties.</summary>
            public static ExperimentBaseModel ParseShared(INamedTypeSymbol type) => new ExperimentBaseModel(
                type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString(),
                type.Name,
                IsPartial(type),
                SharedBases(type).Any(),
                new EquatableArray<TaskSpecModel>(Tasks(type, inherited: true)),
                new EquatableArray<StageSpecModel>(Stages(type, inherited: true)));

            /// <summary>The <c>[ExperimentBase]</c> classes a type derives from, the outermost first.</summary>
            public static IReadOnlyList<INamedTypeSymbol> SharedBases(INamedTypeSymbol type)
            {
                var bases = new List<INamedTypeSymbol>();
                for (var b = type.BaseType; b is not null; b = b.BaseType)
                    if (b.GetAttributes().Any(a => Is(a, KnownNames.ExperimentBase))) bases.Insert(0, b);
                return bases;
            }

            /// <summary>Whether a stage trains (and so distils) on a dataset: its target, or one of multi-task pretraining's.</summary>
            public static bool TrainsOn(StageSpecModel stage, string dataset) =>
                stage.Kind == "MultiTask" ? stage.Datasets.Count == 0 || stage.Datasets.Contains(dataset) : stage.Kind == "Finetune" && stage.Target == dataset;

            private static IEnumerable<StageSpecModel> Stages(INamedTypeSymbol type, bool inherited)
            {
                foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
                {
                    foreach (var attribute in property.GetAttributes())
                    {
                        if (Is(attribute, KnownNames.Finetune)) yield return Stage(property, attribute) with { Inherited = inherited };
                        else if (Is(attribute, KnownNames.MultiTaskPretraining)) yield return MultiTaskStage(property, attribute) with { Inherited = inherited };
                        else if (Is(attribute, KnownNames.Evaluate)) yield return EvaluateStage(property, attribute) with { Inherited = inherited };
                    }
                }
            }

            private static IEnumerable<TaskSpecModel> Tasks(INamedTypeSymbol type, bool inherited)
            {
                foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
                {
                    foreach (var attribute in property.GetAttributes())
                    {
                        if (Is(attribute, KnownNames.MrcTask)) yield return Task(inherited, property, attribute, "Mrc", maxLength: RoadDefaults.MrcMaxLength);
                        else if (Is(attribute, KnownNames.NliTask)) yield return Task(inherited, property, attribute, "Nli", maxLength: RoadDefaults.NliMaxLength);
                        else if (Is(attribute, KnownNames.SentimentTask)) yield return Task(inherited, property, attribute, "Sentiment", maxLength: RoadDefaults.SentimentMaxLength);
                        else if (Is(attribute, KnownNames.ParaphraseTask)) yield return Task(inherited, property, attribute, "Paraphrase", maxLength: RoadDefaults.ParaphraseMaxLength);
                    }
                }
            }

            public static bool IsPartial(INamedTypeSymbol type) =>
                type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is ClassDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword));

            public static bool Is(AttributeData attribute, string metadataName) =>
                attribute.AttributeClass?.ToDisplayString() == metadataName;

            /// <summary>An <c>[Encoder]</c> (or, with <paramref name="familyArgument"/> 1, a <c>[TeacherEncoder]</c>) as declared, defaults filled in.</summary>
            public static EncoderSpecModel Encoder(AttributeData? a, int familyArgument = 0) => new EncoderSpecModel(
                a is null || a.ConstructorArguments.Length <= familyArgument ? "Electra" : EnumMember(a.ConstructorArguments[familyArgument], "Electra"),
                Named(a, "Checkpoint", ""),
                Named(a, "EmbeddingSize", RoadDefaults.EmbeddingSize),
                Named(a, "HiddenSize", RoadDefaults.HiddenSize),
                Named(a, "Layers", RoadDefaults.Layers),
                Named(a, "Heads", RoadDefaults.Heads),
                Named(a, "IntermediateSize", RoadDefaults.IntermediateSize),
                Named(a, "MaxPositions", RoadDefaults.MaxPositions),
                Named(a, "Dropout", RoadDefaults.Dropout),
                Named(a, "Vocabulary", ""));

            private static TaskSpecModel Task(bool inherited, IPropertySymbol property, AttributeData a, string kind, int maxLength) => new TaskSpecModel(
                inherited,
                property.Name,
                Accessibility(property),
                kind,
                EnumMember(a.ConstructorArguments.FirstOrDefault(), "Toy"),
                Argument(a, 1, ""),
                Named(a, "Dev", ""),
                Named(a, "MaxTrainExamples", 0),
                Named(a, "MaxLength", maxLength),
                kind == "Mrc" ? Named(a, "Stride", RoadDefaults.Stride) : 0,
                kind == "Mrc" ? Named(a, "MaxQueryLength", RoadDefaults.MaxQueryLength) : 0,
                property.GetAttributes().FirstOrDefault(x => Is(x, KnownNames.NegativeQuestions)) is { } negative ? Named(negative, "Ratio", RoadDefaults.NegativeQuestionRatio) : 0.0,
                Teacher(property) is { } teacher ? Named(teacher, "Seeds", RoadDefaults.TeacherSeeds) : 0,
                Named(Teacher(property), "Epochs", RoadDefaults.Epochs),
                Named(Teacher(property), "BatchSize", RoadDefaults.BatchSize),
                Named(Teacher(property), "LearningRate", RoadDefaults.LearningRate),
                Named(Teacher(property), "LayerDecay", RoadDefaults.LayerDecay),
                Named(Teacher(property), "From", ""),
                kind switch { "Mrc" => 0, "Nli" => 3, "Paraphrase" => 2, _ => Named(a, "Classes", RoadDefaults.SentimentClasses) },
                kind == "Mrc" && Named(a, "FollowupHead", false),
                kind == "Mrc" && Named(a, "YesNoHead", false),
                kind == "Mrc" ? Named(a, "TrainArticles", "") : "",
                kind == "Mrc" ? Named(a, "DevArticles", "") : "",
                Named(a, "Label", ""),
                new EquatableArray<TeacherGroupModel>(property.GetAttributes().Where(x => Is(x, KnownNames.Teacher) && Named(x, "Encoder", "").Length > 0)
                    .Select(x => new TeacherGroupModel(Named(x, "Encoder", ""), Named(x, "Seeds", RoadDefaults.TeacherSeeds), Named(x, "Epochs", RoadDefaults.Epochs),
                        Named(x, "BatchSize", RoadDefaults.BatchSize), Named(x, "LearningRate", RoadDefaults.LearningRate), Named(x, "LayerDecay", RoadDefaults.LayerDecay)))));

            // The teachers of the experiment's own encoder ([Teacher] without Encoder).
            private static AttributeData? Teacher(IPropertySymbol property) =>
                property.GetAttributes().FirstOrDefault(x => Is(x, KnownNames.Teacher) && Named(x, "Encoder", "").Length == 0);

            private static StageSpecModel MultiTaskStage(IPropertySymbol property, AttributeData a)
            {
                string mode = EnumMember(Named(a, "Mode", default(TypedConstant)), "Road");
                int batchSize = Named(a, "BatchSize", RoadDefaults.MultiTaskBatchSize);
                var multiTask = new MultiTaskModel(
                    mode,
                    EnumMember(Named(a, "Sampling", default(TypedConstant)), "Proportional"),
                    Named(a, "SamplingTemperature", RoadDefaults.SamplingTemperature),
                    Named(a, "Steps", RoadDefaults.MultiTaskSteps),
                    batchSize,
                    mode == "MtDnn" ? batchSize : Named(a, "ExamplesPerPass", RoadDefaults.ExamplesPerPass),
                    Named(a, "LearningRate", RoadDefaults.MultiTaskLearningRate),
                    Named(a, "LayerDecay", RoadDefaults.MultiTaskLayerDecay));
                return new StageSpecModel(false, property.Name, Accessibility(property), "", 0, 0, multiTask.LearningRate, RoadDefaults.WarmupFraction, RoadDefaults.WeightDecay, RoadDefaults.MaxGradNorm,
                    Smoothing(property), multiTask.LayerDecay, 1, false, "MultiTask", Named(a, "From", ""), "", multiTask, Distillation(property),
                    new EquatableArray<string>(Strings(a, "Datasets")), "", double.NaN, double.NaN, double.NaN, "", new EquatableArray<int>(new int[0]));
            }

            private static StageSpecModel EvaluateStage(IPropertySymbol property, AttributeData a) => new StageSpecModel(
                false, property.Name, Accessibility(property), Argument(a, 0, ""), 0, 0, 0, 0, 0, 0, 0, 1, 1, false, "Evaluate", "", Named(a, "Row", ""), null, null,
                new EquatableArray<string>(new string[0]), Named(a, "Model", ""),
                Named(a, "PaperEm", double.NaN), Named(a, "PaperF1", double.NaN), Named(a, "PaperAccuracy", double.NaN), "", new EquatableArray<int>(new int[0]));

            /// <summary>The strings of an array-valued named argument (<c>Datasets = new[] { nameof(A), nameof(B) }</c>).</summary>
            public static string[] Strings(AttributeData a, string name) =>
                a.NamedArguments.Where(n => n.Key == name && n.Value.Kind == TypedConstantKind.Array && !n.Value.IsNull)
                    .SelectMany(n => n.Value.Values.Select(v => v.Value as string ?? ""))
                    .ToArray();

            /// <summary>The integers of an array-valued named argument (<c>TeacherLayers = new[] { 0, 2 }</c>).</summary>
            public static int[] Integers(AttributeData a, string name) =>
                a.NamedArguments.Where(n => n.Key == name && n.Value.Kind == TypedConstantKind.Array && !n.Value.IsNull)
                    .SelectMany(n => n.Value.Values.Select(v => v.Value is int i ? i : -1))
                    .ToArray();

            private static double Smoothing(IPropertySymbol property) =>
                property.GetAttributes().FirstOrDefault(x => Is(x, KnownNames.LabelSmoothing)) is { } smoothing ? Named(smoothing, "Epsilon", RoadDefaults.LabelSmoothing) : 0.0;

            private static DistillationModel? Distillation(IPropertySymbol property)
            {
                foreach (var a in property.GetAttributes())
                {
                    if (Is(a, KnownNames.KnowledgeDistillation)) return new DistillationModel("Kd", Named(a, "Temperature", RoadDefaults.Temperature), Named(a, "Alpha", RoadDefaults.Alpha), 1.0, 1);
                    if (Is(a, KnownNames.TeacherEnsemble)) return new DistillationModel("Ensemble", Named(a, "Temperature", RoadDefaults.Temperature), Named(a, "Alpha", RoadDefaults.Alpha), 1.0, Named(a, "Teachers", RoadDefaults.EnsembleTeachers));
                    if (Is(a, KnownNames.WeightedKd)) return new DistillationModel("WeightedKd", Named(a, "Temperature", RoadDefaults.Temperature), Named(a, "Alpha", RoadDefaults.Alpha), Named(a, "W", RoadDefaults.W), Named(a, "Teachers", RoadDefaults.EnsembleTeachers));
                    if (Is(a, KnownNames.TeacherAnnealing)) return new DistillationModel("Annealing", 1.0, 1.0, 1.0, Named(a, "Teachers", RoadDefaults.AnnealingTeachers));
                }
                return null;
            }

            private static StageSpecModel Stage(IPropertySymbol property, AttributeData a) => new StageSpecModel(
                false,
                property.Name,
                Accessibility(property),
                Argument(a, 0, ""),
                Named(a, "Epochs", RoadDefaults.Epochs),
                Named(a, "BatchSize", RoadDefaults.BatchSize),
                Named(a, "LearningRate", RoadDefaults.LearningRate),
                Named(a, "WarmupFraction", RoadDefaults.WarmupFraction),
                Named(a, "WeightDecay", RoadDefaults.WeightDecay),
                Named(a, "MaxGradNorm", RoadDefaults.MaxGradNorm),
                Smoothing(property),
                Named(a, "LayerDecay", RoadDefaults.LayerDecay),
                Named(a, "GradientAccumulation", RoadDefaults.GradientAccumulation),
                Named(a, "GroupByLength", false),
                "Finetune",
                Named(a, "From", ""),
                Named(a, "Row", ""),
                null,
                Distillation(property),
                new EquatableArray<string>(new string[0]),
                "",
                Named(a, "PaperEm", double.NaN),
                Named(a, "PaperF1", double.NaN),
                Named(a, "PaperAccuracy", double.NaN),
                Named(a, "FromTeacher", ""),
                new EquatableArray<int>(Integers(a, "TeacherLayers")));

            private static string Accessibility(ISymbol symbol) => symbol.DeclaredAccessibility switch
            {
                Microsoft.CodeAnalysis.Accessibility.Public => "public",
                Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
                Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
                Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
                Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
                _ => "private",
            };

            private static string EnumMember(TypedConstant constant, string fallback)
            {
                if (constant.Type is not INamedTypeSymbol type || constant.Value is null) return fallback;
                return type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, constant.Value))?.Name
                    ?? fallback;
            }

            private static string Argument(AttributeData a, int index, string fallback) =>
                a.ConstructorArguments.Length > index && a.ConstructorArguments[index].Value is string s ? s : fallback;

            private static T Named<T>(AttributeData? a, string name, T fallback)
            {
                if (a is null) return fallback;
                foreach (var pair in a.NamedArguments)
                {
                    if (pair.Key != name || pair.Value.Value is null) continue;
                    object value = pair.Value.Value;
                    if (typeof(T) == typeof(TypedConstant)) return (T)(object)pair.Value;
                    if (typeof(T) == typeof(double)) return (T)(object)System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                    if (value is T typed) return typed;
                }
                return fallback;
            }
        }
    }
}
