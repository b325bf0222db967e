using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Road.Native;

/// <summary>
/// Chooses where tensors live. <c>cpu</c> uses the libtorch that ships with the app. <c>cuda</c> uses a CUDA build of
/// libtorch found through <c>ROAD_LIBTORCH</c> or a pip-installed PyTorch, loaded by full path before TorchSharp
/// initialises so that a CPU libtorch next to the app cannot shadow it (PLATFORM.md).
/// </summary>
public static class TorchDevice
{
    public const string LibTorchVariable = "ROAD_LIBTORCH";

    // Load order matters: each library's dependencies first, so every soname resolves to the CUDA build.
    private static readonly string[] CudaLibraries = ["libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so"];

    /// <summary><c>cpu</c>, <c>cuda</c>, or <c>cuda:N</c> (the GPU of a data-parallel rank that sees several).</summary>
    public static Device Initialize(string name) => name switch
    {
        "cpu" => CPU,
        "cuda" => InitializeCuda(),
        _ when name.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(name[5..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
            => Gpu(index),
        _ => throw new RoadException($"unknown device \"{name}\"; use --device cpu or --device cuda."),
    };

    /// <summary>The folder holding a CUDA build of libtorch, or an explanation of where Road looked.</summary>
    public static string FindCudaLibTorch()
    {
        string? configured = Environment.GetEnvironmentVariable(LibTorchVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            if (File.Exists(Path.Combine(configured, "libtorch_cuda.so"))) return configured;
            throw new RoadException($"{LibTorchVariable}={configured} has no libtorch_cuda.so; point it at a CUDA build of libtorch (e.g. a pip PyTorch's torch/lib).");
        }
        string? fromPython = PythonTorchLib();
        if (fromPython is not null && File.Exists(Path.Combine(fromPython, "libtorch_cuda.so"))) return fromPython;
        throw new RoadException($"--device cuda needs a CUDA build of libtorch: set {LibTorchVariable} to its lib folder (e.g. the torch/lib folder of a pip-installed PyTorch with CUDA); "
            + (fromPython is null ? "python3 has no torch package here." : $"python3's torch at {fromPython} has no libtorch_cuda.so (a CPU-only PyTorch)."));
    }

    private static Device Gpu(int index)
    {
        InitializeCuda();
        return new Device(DeviceType.CUDA, index);
    }

    private static Device InitializeCuda()
    {
        string folder = FindCudaLibTorch();
        foreach (string library in CudaLibraries)
        {
            string path = Path.Combine(folder, library);
            if (File.Exists(path)) NativeLibrary.Load(path);
        }
        torch.InitializeDeviceType(DeviceType.CUDA);
        if (!torch.cuda.is_available()) throw new RoadException($"libtorch from {folder} loaded, but it sees no CUDA device.");
        return CUDA;
    }

    private static string? PythonTorchLib()
    {
        try
        {
            var start = new ProcessStartInfo("python3", ["-c", "import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && Directory.Exists(output) ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no python3 on PATH
        }
    }
}
