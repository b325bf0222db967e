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
            DiagnosticDescriptors.FormatMisfit, DiagnosticDescriptors.TwoTasks, DiagnosticDescriptors.ToyVocabularyOnRealData);

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
            if (experiment is null) return;
            if (!ExperimentGenerator.Parser.IsPartial(type))
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotPartial, type.Locations[0], type.Name));
            if (experiment.ConstructorArguments.Length > 0 && experiment.ConstructorArguments[0].Value is string name)
                names.Add((name, type.ToDisplayString(), ArgumentLocation(experiment, 0) ?? type.Locations[0]));

            foreach (var attribute in type.GetAttributes()) CheckRanges(context, attribute);
            CheckVocabulary(context, type);
            var datasets = type.GetMembers().OfType<IPropertySymbol>()
                .Where(p => p.GetAttributes().Any(a => KnownNames.TaskAttributes.Any(t => ExperimentGenerator.Parser.Is(a, t))))
                .Select(p => p.Name)
                .ToImmutableHashSet();
            var teacherSeeds = type.GetMembers().OfType<IPropertySymbol>().ToDictionary(
                p => p.Name,
                p => p.GetAttributes().FirstOrDefault(a => ExperimentGenerator.Parser.Is(a, KnownNames.Teacher)) is { } t
                    ? t.NamedArguments.Where(n => n.Key == "Seeds").Select(n => (int)n.Value.Value!).DefaultIfEmpty(1).First()
                    : 0);
            foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
            {
                CheckStage(context, property, datasets, teacherSeeds);
                CheckTask(context, property);
                foreach (var attribute in property.GetAttributes())
                {
                    CheckRanges(context, attribute);
                    if (ExperimentGenerator.Parser.Is(attribute, KnownNames.Finetune)
                        && attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string target
                        && !datasets.Contains(target))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownTarget,
                            ArgumentLocation(attribute, 0) ?? property.Locations[0], target, experiment.ConstructorArguments[0].Value));
                    }
                }
            }
        }

        // An encoder without a checkpoint or a vocabulary reads with the toy vocabulary, which fits toy data only.
        private static void CheckVocabulary(SymbolAnalysisContext context, INamedTypeSymbol type)
        {
            var encoder = type.GetAttributes().FirstOrDefault(a => ExperimentGenerator.Parser.Is(a, KnownNames.Encoder));
            bool Declared(string name) => encoder is not null && encoder.NamedArguments.Any(n => n.Key == name && n.Value.Value is string s && s.Length > 0);
            if (Declared("Checkpoint") || Declared("Vocabulary")) return;
            foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
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

        // Multi-task pretraining needs two datasets; distillation needs teachers on the datasets it reads.
        private static void CheckStage(SymbolAnalysisContext context, IPropertySymbol property, ImmutableHashSet<string> datasets, Dictionary<string, int> teacherSeeds)
        {
            var attributes = property.GetAttributes();
            var multiTask = attributes.FirstOrDefault(a => ExperimentGenerator.Parser.Is(a, KnownNames.MultiTaskPretraining));
            if (multiTask is not null && datasets.Count < 2)
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MultiTaskTasks, AttributeLocation(multiTask) ?? property.Locations[0], property.Name, datasets.Count));
            var finetune = attributes.FirstOrDefault(a => ExperimentGenerator.Parser.Is(a, KnownNames.Finetune));
            var distilled = finetune is not null && finetune.ConstructorArguments.Length > 0 && finetune.ConstructorArguments[0].Value is string target && datasets.Contains(target)
                ? new[] { target }
                : multiTask is not null ? datasets.ToArray() : [];
            int Seeds(string dataset) => teacherSeeds.TryGetValue(dataset, out int n) ? n : 0;
            foreach (var attribute in attributes)
            {
                string? name = attribute.AttributeClass?.ToDisplayString();
                if (name is not (KnownNames.KnowledgeDistillation or KnownNames.TeacherEnsemble or KnownNames.WeightedKd or KnownNames.TeacherAnnealing)) continue;
                int teachers = name == KnownNames.KnowledgeDistillation ? 1
                    : attribute.NamedArguments.Where(n => n.Key == "Teachers").Select(n => (int)n.Value.Value!).DefaultIfEmpty(name == KnownNames.TeacherAnnealing ? 1 : 3).First();
                if (name == KnownNames.WeightedKd && teachers < 2)
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.WeightedKdTeachers, NamedArgumentLocation(attribute, "Teachers") ?? AttributeLocation(attribute) ?? property.Locations[0], teachers));
                foreach (var dataset in distilled.Where(d => Seeds(d) < teachers).OrderBy(d => d, StringComparer.Ordinal))
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingTeachers, AttributeLocation(attribute) ?? property.Locations[0], property.Name, teachers, dataset, Seeds(dataset)));
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
