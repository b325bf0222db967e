using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Road.Benchmarks;

/// <summary>
/// Memory in use: on CUDA, the device's used memory from NVML (the driver's library; TorchSharp exposes no allocator
/// statistics), which includes the CUDA context and the caching allocator's reserve; on the CPU, the process's peak
/// working set.
/// </summary>
public static partial class DeviceMemory
{
    public static long CpuPeakBytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }

    /// <summary>Bytes in use on CUDA device 0, or null when NVML is not available.</summary>
    public static long? CudaUsedBytes()
    {
        try
        {
            if (NvmlInit() != 0 || NvmlDeviceGetHandleByIndex(0, out var device) != 0 || NvmlDeviceGetMemoryInfo(device, out var memory) != 0) return null;
            return (long)memory.Used;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlMemory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [LibraryImport("libnvidia-ml.so.1", EntryPoint = "nvmlInit_v2")]
    private static partial int NvmlInit();

    [LibraryImport("libnvidia-ml.so.1", EntryPoint = "nvmlDeviceGetHandleByIndex_v2")]
    private static partial int NvmlDeviceGetHandleByIndex(uint index, out IntPtr device);

    [LibraryImport("libnvidia-ml.so.1", EntryPoint = "nvmlDeviceGetMemoryInfo")]
    private static partial int NvmlDeviceGetMemoryInfo(IntPtr device, out NvmlMemory memory);
}
