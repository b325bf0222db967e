using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Road.Generators.Model;

namespace Road.Generators
{
    /// <summary>
    /// For each <c>[Experiment]</c> partial class: its resolved spec, typed dataset accessors and the stage plan; for each
    /// <c>[ExperimentBase]</c> class the accessors of the datasets experiments inherit; plus one registry of all
    /// experiments in the assembly. Parse, model, emit: the model holds no Roslyn objects, so unrelated edits leave the
    /// pipeline cached.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class ExperimentGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var experiments = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownNames.Experiment,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                    static (ctx, _) => Parser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ctx.Attributes[0]))
                .WithTrackingName(TrackingNames.Experiments);

            context.RegisterSourceOutput(experiments, static (spc, e) =>
            {
                if (!e.IsPartial) return; // ROAD001 reports it; emitting would only add compiler errors
                string hint = (e.Namespace.Length > 0 ? e.Namespace + "." : "") + e.ClassName + ".g.cs";
                spc.AddSource(hint, Emitter.Experiment(e));
            });

            var shared = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownNames.ExperimentBase,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                    static (ctx, _) => Parser.ParseShared((INamedTypeSymbol)ctx.TargetSymbol))
                .WithTrackingName(TrackingNames.ExperimentBases);

            context.RegisterSourceOutput(shared, static (spc, s) =>
            {
                if (!s.IsPartial) return; // ROAD001 reports it
                spc.AddSource((s.Namespace.Length > 0 ? s.Namespace + "." : "") + s.ClassName + ".g.cs", Emitter.ExperimentBase(s));
            });

            var all = experiments.Collect()
                .Combine(context.CompilationProvider.Select(static (c, _) => c.AssemblyName ?? "Experiments"))
                .Select(static (pair, _) => (Experiments: new EquatableArray<ExperimentSpecModel>(pair.Left), Assembly: pair.Right))
                .WithTrackingName(TrackingNames.AllExperiments);

            context.RegisterSourceOutput(all, static (spc, x) =>
            {
                if (x.Experiments.Count == 0) return;
                spc.AddSource("ExperimentRegistry.g.cs", Emitter.Registry(x.Assembly, x.Experiments));
            });
        }
    }
}
