using System.Diagnostics;
using System.Text;
using Road.Build.Engine;

namespace Road.Build;

/// <summary>
/// A C# project that declares experiments and whose Main hands them to Road's experiment host: this repository's
/// examples, or a user's own project made by NewExperimentProject. RunExperiment and ListExperiments build it in
/// Release and run it as a child process, so experiments always run the Release build, with the console they were
/// started from.
/// </summary>
public sealed class ExperimentProject
{
    private ExperimentProject(string file, string root) => (File, _root) = (file, root);

    private readonly string _root;

    /// <summary>The .csproj.</summary>
    public string File { get; }

    public static ExperimentProject Open(string? project, string root)
    {
        string path = project ?? Path.Combine(root, "examples", "Road.Examples");
        if (System.IO.File.Exists(path) && path.EndsWith(".csproj", StringComparison.Ordinal)) return new ExperimentProject(Path.GetFullPath(path), root);
        if (!Directory.Exists(path)) throw new BuildException($"--project {path}: no such folder or .csproj.");
        var files = Directory.GetFiles(path, "*.csproj");
        return files.Length == 1
            ? new ExperimentProject(Path.GetFullPath(files[0]), root)
            : throw new BuildException($"--project {path}: expected one .csproj in the folder, found {files.Length}; name the .csproj.");
    }

    /// <summary>Builds the project in Release and runs it with the host arguments; its exit code is the target's.
    /// With <paramref name="ranks"/> above one, Open MPI's <c>mpirun</c> starts that many CPU ranks of it on this
    /// machine; with <paramref name="gpus"/>, <see cref="RankLauncher"/> starts one NCCL rank per GPU.</summary>
    public void Host(IReadOnlyList<string> arguments, int ranks = 1, int gpus = 0)
    {
        string targetPath;
        using (BuildLock())
        {
            var (built, log) = Capture("dotnet", ["build", File, "-c", "Release", "-nologo", "-v", "quiet", "-clp:NoSummary"]);
            if (built != 0)
            {
                Console.Error.Write(log);
                throw new BuildException($"{File} did not compile (its errors are above).");
            }
            (_, targetPath) = Capture("dotnet", ["msbuild", File, "-nologo", "-getProperty:TargetPath", "-p:Configuration=Release"]);
        }
        var start = ranks > 1 ? MpiRun(ranks) : new ProcessStartInfo("dotnet");
        start.WorkingDirectory = Directory.GetCurrentDirectory();
        if (ranks > 1) start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(targetPath.Trim());
        foreach (var a in arguments) start.ArgumentList.Add(a);
        int code = gpus > 0 ? RankLauncher.Run(start, gpus) : Wait(start);
        if (code == 0) return;
        string program = Path.GetFileNameWithoutExtension(File);
        if (code == Road.Pipeline.ExperimentHost.StoppedExitCode)
            throw new BuildException($"{program} {arguments[0]} stopped on a signal after writing its checkpoint; continue it with --resume.");
        int many = Math.Max(ranks, gpus);
        throw new BuildException(many == 1 ? $"{program} {arguments[0]} failed (exit code {code})."
            : $"{program} {arguments[0]} failed on its {many} ranks (exit code {code}; a rank's error is above, or it was killed by a signal, out of memory say); a run that trained continues from its last checkpoint with --resume.");
    }

    // One Release build at a time across processes: experiment projects share Road's own projects, and two builds
    // writing the same outputs (or one writing what another's experiment is loading) broke runs started together.
    // .NET takes an advisory lock (flock) for FileShare.None on Linux, so waiting processes queue here.
    private FileStream BuildLock()
    {
        string path = Path.Combine(_root, "artifacts", "experiment-build.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(15);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static int Wait(ProcessStartInfo start)
    {
        using var process = Process.Start(start) ?? throw new BuildException($"could not start {start.FileName}.");
        process.WaitForExit();
        return process.ExitCode;
    }

    // mpirun on this node; ranks are not pinned to cores (the host sizes each rank's threads), and as root (CI,
    // containers) Open MPI must be told that this is meant.
    private static ProcessStartInfo MpiRun(int ranks)
    {
        string? mpirun = ClusterTools.OnPath("mpirun");
        if (mpirun is null) throw new BuildException($"--nproc {ranks} starts the ranks with Open MPI's mpirun, which is not on PATH: install it (Debian: apt-get install openmpi-bin).");
        var start = new ProcessStartInfo(mpirun);
        foreach (var argument in new[] { "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind-to", "none", "--oversubscribe", "--quiet" }) start.ArgumentList.Add(argument);
        if (Environment.UserName == "root")
        {
            start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
            start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        }
        return start;
    }

    private static (int Code, string Output) Capture(string tool, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new BuildException($"could not start {tool}.");
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    /// <summary>The example experiment a new project declares.</summary>
    public static string ExampleName(string project) => Kebab(project) + "-example";

    /// <summary>Writes a project that references this checkout's DSL, runtime and generator (with its analyzers, so
    /// the IDE shows ROAD diagnostics), with an entry point and one example experiment; returns the .csproj.</summary>
    public static string Create(string folder, string name, string root)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z_][A-Za-z0-9_]*$"))
            throw new BuildException($"--name {name}: a project name must be a C# identifier (letters, digits, _).");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new BuildException($"--output {folder}: the folder is not empty; give a new folder.");
        Directory.CreateDirectory(folder);
        string roadRoot = Path.GetFullPath(root).TrimEnd('/') + "/";
        string csproj = Path.Combine(folder, name + ".csproj");
        System.IO.File.WriteAllText(csproj, $$"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- Experiments of your own. From the Road checkout below, ./build.sh RunExperiment with the project option set to
                   {{Path.GetFullPath(folder)}} runs one by name. The generator turns each [Experiment] class into runnable code;
                   its analyzers report mistakes in the IDE as ROAD diagnostics. -->
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RoadRoot>{{roadRoot}}</RoadRoot>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="$(RoadRoot)src/Road.Dsl/Road.Dsl.csproj" />
                <ProjectReference Include="$(RoadRoot)src/Road.Runtime/Road.Runtime.csproj" />
                <ProjectReference Include="$(RoadRoot)src/Road.Generators/Road.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
              <!-- Makes TorchSharp's native library loadable on hosts with an older libstdc++ (Debian 12), as in Road itself. -->
              <Import Project="$(RoadRoot)build/Road.TorchSharp.targets" Condition="'$(RoadTorchSharpTargetsImported)' != 'true'" />
            </Project>

            """.Replace("\r\n", "\n"));
        System.IO.File.WriteAllText(Path.Combine(folder, "Program.cs"), $"""
            // The experiment host: ./build.sh RunExperiment --project <this folder> runs this project's Release build.
            return Road.Pipeline.ExperimentHost.Main(args, {name}.Generated.ExperimentRegistry.All);

            """);
        System.IO.File.WriteAllText(Path.Combine(folder, "Experiments.cs"), $$"""
            using Road;
            using Road.Data;
            using Road.Pipeline;

            namespace {{name}};

            /// <summary>
            /// An example to start from: a small ELECTRA-shaped encoder trained from scratch on Road's toy MRC task (no
            /// download), in seconds on a CPU. For real data, point [MrcTask] at a file under ROAD_DATA (DataFormat.Squad2,
            /// Mrqa, ...) and [Encoder] at a HuggingFace checkpoint folder under ROAD_MODELS (Checkpoint = "...").
            /// </summary>
            [Experiment("{{ExampleName(name)}}", Description = "A small encoder from scratch on the toy MRC task.", Seed = 13)]
            [Encoder(EncoderFamily.Electra, EmbeddingSize = 64, HiddenSize = 64, Layers = 2, Heads = 4, IntermediateSize = 128, MaxPositions = 64, Dropout = 0.0)]
            public partial class Example
            {
                [MrcTask(DataFormat.Toy, "toy/facts-mrc", Dev = "toy/facts-mrc", MaxTrainExamples = 2000, MaxLength = 40, Stride = 8, MaxQueryLength = 12)]
                public partial MrcDataset Facts { get; }

                [Finetune(nameof(Facts), Epochs = 3, BatchSize = 32, LearningRate = 1e-3)]
                public partial StageSpec Finetune { get; }
            }

            """);
        System.IO.File.WriteAllText(Path.Combine(folder, ".gitignore"), "bin/\nobj/\nruns/\n.road-cache/\n");
        return csproj;
    }

    private static string Kebab(string name)
    {
        var text = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && name[i - 1] != '_') text.Append('-');
            text.Append(name[i] == '_' ? '-' : char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }
}
