using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Road.Generators.Diagnostics
{
    /// <summary>A dataset property as the analyzer sees it: its task kind, whether it has a training file, its teachers.</summary>
    internal sealed class DeclaredDataset
    {
        public DeclaredDataset(IPropertySymbol property, AttributeData task, IReadOnlyList<AttributeData> teachers)
        {
            Property = property;
            Task = task;
            Teachers = teachers;
            Teacher = teachers.FirstOrDefault(t => Named(t, "Encoder", "").Length == 0);
            Kind = task.AttributeClass!.Name.Replace("TaskAttribute", "");
            HasTrain = !(task.ConstructorArguments.Length > 1 && task.ConstructorArguments[1].Value is string train && train.Length == 0);
            TeacherSeeds = teachers.Sum(t => Named(t, "Seeds", RoadDefaults.TeacherSeeds));
            TeacherFrom = Teacher is null ? "" : Named(Teacher, "From", "");
        }

        public IPropertySymbol Property { get; }
        public AttributeData Task { get; }

        /// <summary>Every [Teacher] of the dataset: the experiment's encoder's and teacher encoders'.</summary>
        public IReadOnlyList<AttributeData> Teachers { get; }

        /// <summary>The [Teacher] of the experiment's encoder (no Encoder), if any.</summary>
        public AttributeData? Teacher { get; }
        public string Name => Property.Name;

        /// <summary>Mrc, Nli, Sentiment or Paraphrase.</summary>
        public string Kind { get; }
        public bool HasTrain { get; }
        /// <summary>How many teachers the dataset has, of every encoder.</summary>
        public int TeacherSeeds { get; }
        public string TeacherFrom { get; }

        internal static T Named<T>(AttributeData a, string name, T fallback) =>
            a.NamedArguments.Where(n => n.Key == name && n.Value.Value is T).Select(n => (T)n.Value.Value!).DefaultIfEmpty(fallback).First();
    }

    /// <summary>A stage property: [Finetune], [MultiTaskPretraining] or [Evaluate], at its place in declaration order.</summary>
    internal sealed class DeclaredStage
    {
        public DeclaredStage(IPropertySymbol property, AttributeData attribute, string kind, int index, IReadOnlyDictionary<string, string[]> groups)
        {
            Property = property;
            Attribute = attribute;
            Kind = kind;
            Index = index;
            Target = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string target ? target : null;
            From = DeclaredDataset.Named(attribute, "From", "");
            Model = DeclaredDataset.Named(attribute, "Model", "");
            Datasets = ExperimentGenerator.Parser.Strings(attribute, "Datasets").SelectMany(d => groups.TryGetValue(d, out var names) ? names : new[] { d }).Distinct().ToArray();
        }

        public IPropertySymbol Property { get; }
        public AttributeData Attribute { get; }
        public string Name => Property.Name;

        /// <summary>Finetune, MultiTask or Evaluate.</summary>
        public string Kind { get; }
        public int Index { get; }
        public string? Target { get; }
        public string From { get; }
        public string Model { get; }
        public string[] Datasets { get; }
    }

    /// <summary>The datasets and stages of one experiment class (with the datasets it inherits), in declaration order.</summary>
    internal sealed class ExperimentDeclarations
    {
        public ExperimentDeclarations(INamedTypeSymbol type)
        {
            Groups = ExperimentGenerator.Parser.SharedBases(type).ToDictionary(b => b.Name, b => b.GetMembers().OfType<IPropertySymbol>()
                .Where(p => p.GetAttributes().Any(a => KnownNames.TaskAttributes.Any(t => ExperimentGenerator.Parser.Is(a, t)))).Select(p => p.Name).ToArray());
            foreach (var property in Properties(type))
            {
                var attributes = property.GetAttributes();
                var task = attributes.FirstOrDefault(a => KnownNames.TaskAttributes.Any(t => ExperimentGenerator.Parser.Is(a, t)));
                if (task is not null) Datasets[property.Name] = new DeclaredDataset(property, task, attributes.Where(a => ExperimentGenerator.Parser.Is(a, KnownNames.Teacher)).ToList());
                foreach (var attribute in attributes)
                {
                    string? kind = ExperimentGenerator.Parser.Is(attribute, KnownNames.Finetune) ? "Finetune"
                        : ExperimentGenerator.Parser.Is(attribute, KnownNames.MultiTaskPretraining) ? "MultiTask"
                        : ExperimentGenerator.Parser.Is(attribute, KnownNames.Evaluate) ? "Evaluate"
                        : null;
                    if (kind is not null) Stages.Add(new DeclaredStage(property, attribute, kind, Stages.Count, Groups));
                }
            }
        }

        /// <summary>The properties of an experiment, those of its <c>[ExperimentBase]</c> bases first.</summary>
        public static IEnumerable<IPropertySymbol> Properties(INamedTypeSymbol type) =>
            ExperimentGenerator.Parser.SharedBases(type).Append(type).SelectMany(t => t.GetMembers().OfType<IPropertySymbol>());

        public Dictionary<string, DeclaredDataset> Datasets { get; } = new Dictionary<string, DeclaredDataset>();

        /// <summary>The [ExperimentBase] classes the experiment derives from, by name, with their datasets: multi-task
        /// pretraining may name one for all of them.</summary>
        public Dictionary<string, string[]> Groups { get; }
        public List<DeclaredStage> Stages { get; } = new List<DeclaredStage>();

        public DeclaredStage? Stage(string name) => Stages.FirstOrDefault(s => s.Name == name);

        /// <summary>The datasets a stage trains on (and distils on): its target, or multi-task pretraining's chosen ones (all when none are named).</summary>
        public IEnumerable<DeclaredDataset> TrainedOn(DeclaredStage stage) => stage.Kind switch
        {
            "MultiTask" => stage.Datasets.Length == 0 ? Datasets.Values : stage.Datasets.Where(Datasets.ContainsKey).Distinct().Select(d => Datasets[d]),
            "Finetune" when stage.Target is not null && Datasets.ContainsKey(stage.Target) => new[] { Datasets[stage.Target] },
            _ => Enumerable.Empty<DeclaredDataset>(),
        };
    }
}
