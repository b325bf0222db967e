using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Road.Build.Tasks
{
    /// <summary>
    /// Makes TorchSharp's <c>libLibTorchSharp.so</c> loadable on hosts whose libstdc++ is older than the one it was
    /// built against (Debian 12 stops at GLIBCXX_3.4.30; TorchSharp 0.107 asks for GLIBCXX_3.4.32). For each library,
    /// every libstdc++ version it needs that the host lacks and that is listed in <see cref="WeakenableVersions"/> is
    /// marked <c>VER_FLG_WEAK</c>, so glibc warns instead of refusing the load. Only versions known to be safe (no
    /// relocation binds to them) may be listed; any other missing version is reported as an error. Hosts that have
    /// every version are left untouched, and so are non-Linux hosts.
    /// </summary>
    public sealed class WeakenMissingLibStdCxxVersions : Task
    {
        private const string LibStdCxx = "libstdc++.so.6";

        private static readonly string[] SearchFolders =
        {
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/usr/lib64", "/lib64", "/usr/lib",
        };

        /// <summary>The copies to patch (in the build or publish output, never in the package cache).</summary>
        [Required]
        public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>Version names that are safe to weaken, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
        [Required]
        public string[] WeakenableVersions { get; set; } = Array.Empty<string>();

        /// <summary>The host's libstdc++; found in the usual library folders when empty.</summary>
        public string HostLibStdCxx { get; set; } = "";

        /// <summary>The versions that were weakened, as <c>file: version</c>.</summary>
        [Output]
        public ITaskItem[] Weakened { get; private set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            string host = string.IsNullOrEmpty(HostLibStdCxx) ? FindHostLibStdCxx() : HostLibStdCxx;
            if (string.IsNullOrEmpty(host))
            {
                Log.LogMessage(MessageImportance.Low, "No host libstdc++ found; nothing to patch.");
                return true;
            }
            var offered = ElfSymbolVersions.ReadDefinedVersions(host);
            var weakened = new List<ITaskItem>();
            foreach (var item in Libraries)
            {
                string path = item.ItemSpec;
                if (!File.Exists(path)) continue;
                foreach (var need in ElfSymbolVersions.ReadVersionNeeds(path))
                {
                    if (need.File != LibStdCxx || need.IsWeak || offered.Contains(need.Version)) continue;
                    if (!WeakenableVersions.Contains(need.Version, StringComparer.Ordinal))
                    {
                        Log.LogError($"{path} needs {need.Version} from {LibStdCxx}, which {host} lacks and which is not known to be safe to weaken. Install a newer libstdc++ or add the version to RoadWeakenableLibStdCxxVersions after checking that no relocation binds to it.");
                        continue;
                    }
                    ElfSymbolVersions.MarkWeak(path, need);
                    Log.LogMessage(MessageImportance.Normal, $"{path}: marked {need.Version} weak ({host} lacks it).");
                    weakened.Add(new TaskItem(path, new Dictionary<string, string> { ["Version"] = need.Version }));
                }
            }
            Weakened = weakened.ToArray();
            return !Log.HasLoggedErrors;
        }

        private static string FindHostLibStdCxx()
        {
            if (Environment.OSVersion.Platform != PlatformID.Unix || !File.Exists("/proc/self/maps")) return "";
            return SearchFolders.Select(folder => Path.Combine(folder, LibStdCxx)).FirstOrDefault(File.Exists) ?? "";
        }
    }
}
