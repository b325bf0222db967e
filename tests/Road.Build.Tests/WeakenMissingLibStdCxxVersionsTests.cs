using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Road.Build.Tasks;

namespace Road.Build.Tests;

/// <summary>The GLIBCXX weak-version task on the real TorchSharp native library and the host's libstdc++.</summary>
public sealed class WeakenMissingLibStdCxxVersionsTests : IDisposable
{
    private const string Needed = "GLIBCXX_3.4.32";
    private readonly string _folder = Directory.CreateTempSubdirectory("road-elf-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // The pristine library from the NuGet cache (the copy in any build output is already patched on this host).
    private static string PristineTorchSharp()
    {
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(cache, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    private string CopyOfTorchSharp()
    {
        string copy = Path.Combine(_folder, "libLibTorchSharp.so");
        File.Copy(PristineTorchSharp(), copy);
        return copy;
    }

    private static string HostLibStdCxx() =>
        new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }.First(File.Exists);

    [Fact]
    public void Reads_the_versions_libtorchsharp_needs_from_libstdcxx()
    {
        var needs = ElfSymbolVersions.ReadVersionNeeds(PristineTorchSharp());
        var need = Assert.Single(needs, n => n.Version == Needed);
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.False(need.IsWeak);
        Assert.Contains(needs, n => n.File == "libc.so.6" && n.Version.StartsWith("GLIBC_2.", StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_the_versions_a_libstdcxx_defines()
    {
        var defined = ElfSymbolVersions.ReadDefinedVersions(HostLibStdCxx());
        Assert.Contains("GLIBCXX_3.4", defined);
        Assert.Contains("CXXABI_1.3", defined);
    }

    [Fact]
    public void Only_a_host_that_lacks_the_version_gets_exactly_one_field_changed()
    {
        string copy = CopyOfTorchSharp();
        var before = File.ReadAllBytes(copy);
        var task = Task(copy, HostLibStdCxx());
        Assert.True(task.Execute());
        if (ElfSymbolVersions.ReadDefinedVersions(HostLibStdCxx()).Contains(Needed))
        {
            Assert.Equal(before, File.ReadAllBytes(copy));
            return;
        }
        var after = File.ReadAllBytes(copy);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        Assert.Single(changed);
        Assert.True(Assert.Single(ElfSymbolVersions.ReadVersionNeeds(copy), n => n.Version == Needed).IsWeak);
        Assert.Equal(copy, Assert.Single(task.Weakened).ItemSpec);
        Assert.True(task.Execute()); // idempotent
        Assert.Equal(after, File.ReadAllBytes(copy));
    }

    [Fact]
    public void A_missing_version_that_is_not_known_to_be_safe_is_an_error_and_nothing_changes()
    {
        string copy = CopyOfTorchSharp();
        var before = File.ReadAllBytes(copy);
        var task = Task(copy, HostLibStdCxx());
        task.WeakenableVersions = [];
        bool hostHasIt = ElfSymbolVersions.ReadDefinedVersions(HostLibStdCxx()).Contains(Needed);
        Assert.Equal(hostHasIt, task.Execute()); // lacking it and not allowed to weaken it is an error
        Assert.Equal(before, File.ReadAllBytes(copy));
        Assert.Empty(task.Weakened);
    }

    private static WeakenMissingLibStdCxxVersions Task(string library, string host) => new()
    {
        BuildEngine = new SilentBuildEngine(),
        Libraries = [new TaskItem(library)],
        WeakenableVersions = [Needed],
        HostLibStdCxx = host,
    };

    private sealed class SilentBuildEngine : IBuildEngine
    {
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "test.proj";
        public bool BuildProjectFile(string projectFileName, string[] targetNames, System.Collections.IDictionary globalProperties, System.Collections.IDictionary targetOutputs) => true;
        public void LogCustomEvent(CustomBuildEventArgs e) { }
        public void LogErrorEvent(BuildErrorEventArgs e) { }
        public void LogMessageEvent(BuildMessageEventArgs e) { }
        public void LogWarningEvent(BuildWarningEventArgs e) { }
    }
}
