using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Road.Generators.Diagnostics
{
    /// <summary>Checks experiment declarations: partial classes, unique names, hyperparameter ranges, stage targets.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ExperimentAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.NotPartial, DiagnosticDescriptors.DuplicateName, DiagnosticDescriptors.OutOfRange, DiagnosticDescriptors.UnknownTarget,
            DiagnosticDescriptors.WeightedKdTeachers, DiagnosticDescriptors.MultiTaskTasks, DiagnosticDescriptors.MissingTeachers,
            DiagnosticDescriptors.FormatMisfit, DiagnosticDescriptors.TwoTasks, DiagnosticDescriptors.ToyVocabularyOnRealData, DiagnosticDescriptors.UnknownStage,
            DiagnosticDescriptors.EvaluateKind, DiagnosticDescriptors.TeachersNotYetTrained, DiagnosticDescriptors.EvaluationOnlyTrained,
            DiagnosticDescriptors.UnknownTeacherEncoder, DiagnosticDescriptors.TeacherEncoderName, DiagnosticDescriptors.TeacherConflict,
            DiagnosticDescriptors.StudentFromTeacher);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var names = new ConcurrentBag<(string Name, string Type, Location Location)>();
                start.RegisterSymbolAction(symbol => AnalyzeType(symbol, names), SymbolKind.NamedType);
                start.RegisterCompilationEndAction(end => ReportDuplicates(end, names));
            });
        }

        private static void AnalyzeType(SymbolAnalysisContext context, ConcurrentBag<(string, string, Location)> names)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var experiment = type.GetAttributes().FirstOrDefault(a => ExperimentGenerator.Parser.Is(a, KnownNames.Experiment));
            if (experiment is null)
            {
                if (type.GetAttributes().Any(a => ExperimentGenerator.Parser.Is(a, KnownNames.ExperimentBase))) AnalyzeShared(context, type);
                return;
            }
            if (!ExperimentGenerator.Parser.IsPartial(type))
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotPartial, type.Locations[0], type.Name));
            if (experiment.ConstructorArguments.Length > 0 && experiment.ConstructorArguments[0].Value is string name)
                names.Add((name, type.ToDisplayString(), ArgumentLocation(experiment, 0) ?? type.Locations[0]));

            foreach (var attribute in type.GetAttributes()) CheckRanges(context, attribute);
            CheckVocabulary(context, type);
            var declarations = new ExperimentDeclarations(type);
            string experimentName = experiment.ConstructorArguments.Length > 0 ? experiment.ConstructorArguments[0].Value as string ?? type.Name : type.Name;
            foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
            {
                CheckTask(context, property);
                foreach (var attribute in property.GetAttributes()) CheckRanges(context, attribute);
            }
            foreach (var stage in declarations.Stages)
            {
                CheckReferences(context, stage, declarations, experimentName);
                CheckDistillation(context, stage, declarations);
            }
            CheckTeachers(context, type, declarations, experimentName);
            foreach (var stage in declarations.Stages) CheckFromTeacher(context, type, stage, declarations);
        }

        // A student that starts from a teacher's layers (FromTeacher): a declared teacher encoder with teachers on the
        // stage's dataset, of the student's family and sizes but for the number of layers, one layer named per student
        // layer and each a layer of the teacher. Sizes of a checkpoint are only known when the run loads it.
        private static void CheckFromTeacher(SymbolAnalysisContext context, INamedTypeSymbol type, DeclaredStage stage, ExperimentDeclarations declarations)
        {
            string teacher = DeclaredDataset.Named(stage.Attribute, "FromTeacher", "");
            int[] layers = ExperimentGenerator.Parser.Integers(stage.Attribute, "TeacherLayers");
            var location = NamedArgumentLocation(stage.Attribute, "FromTeacher") ?? AttributeLocation(stage.Attribute) ?? stage.Property.Locations[0];
            void Report(string why) => context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.StudentFromTeacher, location, stage.Name, why));
            if (teacher.Length == 0)
            {
                if (layers.Length > 0) Report("TeacherLayers without FromTeacher; name the teacher encoder whose layers the stage starts from");
                return;
            }
            var encoder = type.GetAttributes().FirstOrDefault(a => ExperimentGenerator.Parser.Is(a, KnownNames.TeacherEncoder)
                && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value as string == teacher);
            if (encoder is null)
            {
                Report($"FromTeacher = \"{teacher}\" names no [TeacherEncoder] of the experiment; declare it, and teachers of it on the stage's dataset");
                return;
            }
            if (stage.From.Length > 0)
                Report("sets both From and FromTeacher; a stage starts from one encoder: drop one");
            if (stage.Target is { } target && declarations.Datasets.TryGetValue(target, out var dataset)
                && !dataset.Teachers.Any(t => DeclaredDataset.Named(t, "Encoder", "") == teacher))
                Report($"its dataset '{target}' has no teachers of {teacher} to start from; add [Teacher(Encoder = \"{teacher}\")] to it");
            var declared = type.GetAttributes().FirstOrDefault(a => ExperimentGenerator.Parser.Is(a, KnownNames.Encoder));
            var student = ExperimentGenerator.Parser.Encoder(declared);
            if (declared is null || student.Checkpoint.Length > 0)
            {
                if (layers.Length == 0) Report("names no TeacherLayers; name the teacher's layers the student's take, one per student layer");
                return;
            }
            if (layers.Length != student.Layers)
                Report($"TeacherLayers names {layers.Length} teacher layers for a student of {student.Layers}; name one per student layer");
            var theirs = ExperimentGenerator.Parser.Encoder(encoder, familyArgument: 1);
            if (theirs.Checkpoint.Length > 0 || DeclaredDataset.Named(encoder, "Experiment", "").Length > 0) return;
            foreach (int wrong in layers.Where(l => l < 0 || l >= theirs.Layers).Take(1))
                Report($"TeacherLayers names layer {wrong}, and {teacher} has layers 0 to {theirs.Layers - 1}");
            if (theirs.Family != student.Family)
            {
                Report($"{teacher} is {theirs.Family} and the student {student.Family}; a student starts from the layers of a teacher of its own family");
                return;
            }
            foreach (var (size, teacherSize, studentSize) in new[] { ("EmbeddingSize", theirs.EmbeddingSize, student.EmbeddingSize), ("HiddenSize", theirs.HiddenSize, student.HiddenSize),
                ("Heads", theirs.Heads, student.Heads), ("IntermediateSize", theirs.IntermediateSize, student.IntermediateSize), ("MaxPositions", theirs.MaxPositions, student.MaxPositions) })
            {
                if (teacherSize != studentSize)
                    Report($"{teacher}'s {size} is {teacherSize} and the student's {studentSize}; a student that starts from a teacher's layers has the teacher's sizes but for Layers");
            }
            if (theirs.Vocabulary != student.Vocabulary)
                Report($"{teacher} reads with another vocabulary than the student; a student that starts from a teacher's embeddings reads with its vocabulary");
        }

        // A [ExperimentBase] class: partial, and each dataset declared as an experiment's would be.
        private static void AnalyzeShared(SymbolAnalysisContext context, INamedTypeSymbol type)
        {
            if (!ExperimentGenerator.Parser.IsPartial(type))
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotPartial, type.Locations[0], type.Name));
            foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
            {
                CheckTask(context, property);
                foreach (var attribute in property.GetAttributes()) CheckRanges(context, attribute);
            }
        }

        // Targets and dataset lists name datasets; From and Model name stages declared before; an evaluation scores a
        // model on a dataset of its own task kind; nothing trains on a dataset without a training file.
        private static void CheckReferences(SymbolAnalysisContext context, DeclaredStage stage, ExperimentDeclarations declarations, string experiment)
        {
            var location = AttributeLocation(stage.Attribute) ?? stage.Property.Locations[0];
            if (stage.Target is { } target && !declarations.Datasets.ContainsKey(target))
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownTarget, ArgumentLocation(stage.Attribute, 0) ?? location, target, experiment));
            foreach (var name in stage.Datasets.Where(d => !declarations.Datasets.ContainsKey(d)))
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownTarget, NamedArgumentLocation(stage.Attribute, "Datasets") ?? location, name, experiment));
            if (stage.From.Length > 0 && !(declarations.Stage(stage.From) is { Kind: not "Evaluate" } from && from.Index < stage.Index))
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownStage, NamedArgumentLocation(stage.Attribute, "From") ?? location, "From", stage.From, "training stage declared before it", experiment));
            if (stage.Kind == "Evaluate")
            {
                var model = declarations.Stage(stage.Model);
                if (model is not { Kind: "Finetune" } || model.Index > stage.Index)
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownStage, NamedArgumentLocation(stage.Attribute, "Model") ?? location, "Model", stage.Model, "finetuning stage declared before it", experiment));
                else if (stage.Target is { } scored && declarations.Datasets.TryGetValue(scored, out var dataset)
                    && model.Target is { } trained && declarations.Datasets.TryGetValue(trained, out var trainedOn) && trainedOn.Kind != dataset.Kind)
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EvaluateKind, ArgumentLocation(stage.Attribute, 0) ?? location, stage.Name, trainedOn.Kind, model.Name, scored, dataset.Kind));
            }
            foreach (var dataset in declarations.TrainedOn(stage).Where(d => !d.HasTrain))
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EvaluationOnlyTrained, location, dataset.Name,
                    stage.Kind == "MultiTask" ? $"list the datasets '{stage.Name}' trains on in Datasets without it" : $"'{stage.Name}' cannot finetune on it"));
        }

        // Multi-task pretraining needs two datasets; distillation needs enough teachers on the datasets it trains on,
        // trained before it.
        private static void CheckDistillation(SymbolAnalysisContext context, DeclaredStage stage, ExperimentDeclarations declarations)
        {
            var trainedOn = declarations.TrainedOn(stage).ToList();
            if (stage.Kind == "MultiTask" && trainedOn.Count < 2)
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MultiTaskTasks, AttributeLocation(stage.Attribute) ?? stage.Property.Locations[0], stage.Name, trainedOn.Count));
            foreach (var attribute in stage.Property.GetAttributes())
            {
                string? name = attribute.AttributeClass?.ToDisplayString();
                if (name is not (KnownNames.KnowledgeDistillation or KnownNames.TeacherEnsemble or KnownNames.WeightedKd or KnownNames.TeacherAnnealing)) continue;
                var location = AttributeLocation(attribute) ?? stage.Property.Locations[0];
                int teachers = name == KnownNames.KnowledgeDistillation ? 1
                    : DeclaredDataset.Named(attribute, "Teachers", name == KnownNames.TeacherAnnealing ? RoadDefaults.AnnealingTeachers : RoadDefaults.EnsembleTeachers);
                if (name == KnownNames.WeightedKd && teachers < 2)
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.WeightedKdTeachers, NamedArgumentLocation(attribute, "Teachers") ?? location, teachers));
                foreach (var dataset in trainedOn.OrderBy(d => d.Name, StringComparer.Ordinal))
                {
                    if (dataset.TeacherSeeds < teachers)
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingTeachers, location, stage.Name, teachers, dataset.Name, dataset.TeacherSeeds));
                    else if (dataset.TeacherFrom.Length > 0 && declarations.Stage(dataset.TeacherFrom) is { } from && from.Index >= stage.Index)
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TeachersNotYetTrained, location, stage.Name, dataset.Name, from.Name));
                }
            }
        }

        // Teachers finetune from a stage of the experiment or from a declared teacher encoder, one [Teacher] per encoder,
        // and only datasets with a training file have teachers.
        private static void CheckTeachers(SymbolAnalysisContext context, INamedTypeSymbol type, ExperimentDeclarations declarations, string experiment)
        {
            var encoders = type.GetAttributes().Where(a => ExperimentGenerator.Parser.Is(a, KnownNames.TeacherEncoder)).ToList();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var encoder in encoders)
            {
                string name = encoder.ConstructorArguments.Length > 0 ? encoder.ConstructorArguments[0].Value as string ?? "" : "";
                var location = ArgumentLocation(encoder, 0) ?? AttributeLocation(encoder) ?? type.Locations[0];
                if (!IsName(name))
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TeacherEncoderName, location, name, "is not a name: use letters, digits and underscores, starting with a letter (it becomes part of stage and file names)"));
                else if (!names.Add(name))
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TeacherEncoderName, location, name, "is declared twice; give each teacher encoder its own name"));
                bool run = DeclaredDataset.Named(encoder, "Experiment", "").Length > 0, stage = DeclaredDataset.Named(encoder, "Stage", "").Length > 0;
                if (run != stage)
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TeacherEncoderName, NamedArgumentLocation(encoder, run ? "Experiment" : "Stage") ?? location, name,
                        "sets Experiment or Stage without the other; an earlier experiment's model is the encoder one of its stages trained: name both"));
                else if (run && DeclaredDataset.Named(encoder, "Checkpoint", "").Length > 0)
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TeacherEncoderName, NamedArgumentLocation(encoder, "Checkpoint") ?? location, name,
                        "sets both a Checkpoint and an earlier experiment's stage; its teachers start from one of them: drop one"));
            }
            foreach (var dataset in declarations.Datasets.Values)
            {
                foreach (var teacher in dataset.Teachers)
                {
                    var location = AttributeLocation(teacher) ?? dataset.Property.Locations[0];
                    string encoder = DeclaredDataset.Named(teacher, "Encoder", "");
                    if (encoder.Length > 0 && !names.Contains(encoder))
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownTeacherEncoder, NamedArgumentLocation(teacher, "Encoder") ?? location, encoder, dataset.Name, experiment,
                            names.Count == 0 ? "" : $" or name one of {string.Join(", ", names.OrderBy(n => n, StringComparer.Ordinal))}"));
                    if (encoder.Length > 0 && DeclaredDataset.Named(teacher, "From", "").Length > 0)
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TeacherConflict, NamedArgumentLocation(teacher, "From") ?? location, dataset.Name,
                            "[Teacher] sets both Encoder and From; From finetunes teachers from a stage of the experiment's encoder, a teacher encoder's teachers start from its own weights: drop one"));
                }
                foreach (var twice in dataset.Teachers.GroupBy(t => DeclaredDataset.Named(t, "Encoder", "")).Where(g => g.Count() > 1))
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TeacherConflict, AttributeLocation(twice.ElementAt(1)) ?? dataset.Property.Locations[0], dataset.Name,
                        $"two [Teacher] attributes train teachers of {(twice.Key.Length == 0 ? "the experiment's encoder" : $"the teacher encoder {twice.Key}")}; merge them (Seeds says how many)"));
                if (dataset.Teacher is { } own && dataset.TeacherFrom.Length > 0 && declarations.Stage(dataset.TeacherFrom) is not { Kind: not "Evaluate" })
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownStage, NamedArgumentLocation(own, "From") ?? AttributeLocation(own) ?? dataset.Property.Locations[0], "From", dataset.TeacherFrom, "training stage", experiment));
                if (dataset.Teachers.Count > 0 && !dataset.HasTrain)
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EvaluationOnlyTrained, AttributeLocation(dataset.Teachers[0]) ?? dataset.Property.Locations[0], dataset.Name, "its teachers cannot finetune on it"));
            }
        }

        private static bool IsName(string name) =>
            name.Length > 0 && char.IsLetter(name[0]) && name.All(c => char.IsLetterOrDigit(c) || c == '_');

        // An encoder without a checkpoint or a vocabulary reads with the toy vocabulary (as toy/pieces does), which fits
        // toy data only: the experiment's, and every teacher encoder.
        private static void CheckVocabulary(SymbolAnalysisContext context, INamedTypeSymbol type)
        {
            CheckVocabulary(context, type, type.GetAttributes().FirstOrDefault(a => ExperimentGenerator.Parser.Is(a, KnownNames.Encoder)));
            foreach (var teacher in type.GetAttributes().Where(a => ExperimentGenerator.Parser.Is(a, KnownNames.TeacherEncoder))) CheckVocabulary(context, type, teacher);
        }

        private static void CheckVocabulary(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData? encoder)
        {
            bool Declared(string name) => encoder is not null && encoder.NamedArguments.Any(n => n.Key == name && n.Value.Value is string s && s.Length > 0 && s != KnownNames.ToyPiecesVocabulary);
            if (Declared("Checkpoint") || Declared("Vocabulary") || Declared("Experiment")) return;
            foreach (var property in ExperimentDeclarations.Properties(type))
            {
                var task = property.GetAttributes().FirstOrDefault(a => KnownNames.TaskAttributes.Any(t => ExperimentGenerator.Parser.Is(a, t)));
                if (task is null || task.ConstructorArguments.Length == 0 || task.ConstructorArguments[0].Type is not INamedTypeSymbol formatType) continue;
                string? format = formatType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, task.ConstructorArguments[0].Value))?.Name;
                if (format is null or "Toy") continue;
                var location = encoder?.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? type.Locations[0];
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ToyVocabularyOnRealData, location, property.Name, format));
                return;
            }
        }

        // One task attribute per dataset, and a data format that fits it.
        private static void CheckTask(SymbolAnalysisContext context, IPropertySymbol property)
        {
            var tasks = property.GetAttributes().Where(a => KnownNames.TaskAttributes.Any(t => ExperimentGenerator.Parser.Is(a, t))).ToList();
            foreach (var extra in tasks.Skip(1))
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TwoTasks, AttributeLocation(extra) ?? property.Locations[0], property.Name));
            foreach (var task in tasks)
            {
                if (task.ConstructorArguments.Length == 0 || task.ConstructorArguments[0].Type is not INamedTypeSymbol formatType) continue;
                string? format = formatType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, task.ConstructorArguments[0].Value))?.Name;
                string taskKind = task.AttributeClass!.Name.Replace("TaskAttribute", "");
                if (format is null || TaskFormats.Fits(taskKind, format)) continue;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.FormatMisfit, ArgumentLocation(task, 0) ?? property.Locations[0],
                    format, task.AttributeClass.Name.Replace("Attribute", ""), string.Join(", ", TaskFormats.For(taskKind))));
            }
        }

        private static Location? AttributeLocation(AttributeData attribute) => attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation();

        private static void CheckRanges(SymbolAnalysisContext context, AttributeData attribute)
        {
            string? attributeName = attribute.AttributeClass?.ToDisplayString();
            if (attributeName is null) return;
            foreach (var pair in attribute.NamedArguments)
            {
                var rule = HyperparameterRules.Find(attributeName, pair.Key);
                if (rule is null || pair.Value.Value is null) continue;
                double value = Convert.ToDouble(pair.Value.Value, CultureInfo.InvariantCulture);
                if (rule.IsValid(value)) continue;
                var location = NamedArgumentLocation(attribute, pair.Key);
                if (location is null) continue;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.OutOfRange, location,
                    pair.Key, Convert.ToString(pair.Value.Value, CultureInfo.InvariantCulture), rule.Expectation));
            }
        }

        private static void ReportDuplicates(CompilationAnalysisContext context, ConcurrentBag<(string Name, string Type, Location Location)> names)
        {
            foreach (var group in names.GroupBy(n => n.Name))
            {
                var ordered = group.OrderBy(n => n.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(n => n.Location.SourceSpan.Start).ToList();
                foreach (var duplicate in ordered.Skip(1))
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateName, duplicate.Location, group.Key, ordered[0].Type));
            }
        }

        private static Location? ArgumentLocation(AttributeData attribute, int index)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax syntax || syntax.ArgumentList is null) return null;
            var positional = syntax.ArgumentList.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList();
            return index < positional.Count ? positional[index].GetLocation() : null;
        }

        private static Location? NamedArgumentLocation(AttributeData attribute, string name) =>
            (attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax)?.ArgumentList?.Arguments
                .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.GetLocation();
    }
}
