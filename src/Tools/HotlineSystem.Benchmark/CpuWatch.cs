using System.Globalization;

namespace HotlineSystem.Benchmark;

/// <summary>
/// CPU time spent by the processes under test during a phase, read from /proc (Linux). On a busy
/// machine wall-clock rates swing with the neighbours' load; CPU time per incident hardly does, so
/// it says where the time goes and what two quiet cores could sustain.
/// Watched: this tool itself, processes given by PID (the service hosts, the broker), the
/// PostgreSQL backends serving one database (their process titles name it) and, if asked, the tool's
/// own child processes: a browser it drives (Chromium's processes, and Playwright's driver, which is Node).
/// </summary>
public sealed class CpuWatch
{
    private const double TicksPerSecond = 100; // USER_HZ: 100 on every Linux distribution this runs on

    private readonly List<(string Name, int Pid)> _processes;
    private const string Browser = "Chromium";
    private const string BrowserDriver = "Playwright driver";

    private readonly string? _postgresDatabase;
    private readonly bool _browser;

    public CpuWatch(IEnumerable<(string Name, int Pid)> processes, string? postgresDatabase, bool browser = false)
    {
        _processes = [("benchmark tool", Environment.ProcessId), .. processes];
        _postgresDatabase = postgresDatabase;
        _browser = browser;
    }

    public static bool Available => File.Exists("/proc/self/stat");

    public Sample Take()
    {
        var seconds = new Dictionary<(string Name, int Pid), double>();
        if (!Available)
        {
            return new Sample(seconds);
        }

        foreach (var (name, pid) in _processes)
        {
            if (Read(pid) is { } cpu)
            {
                seconds[(name, pid)] = cpu;
            }
        }

        if (_postgresDatabase is { } database)
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), out var pid) && IsBackendOf(pid, database) && Read(pid) is { } cpu)
                {
                    seconds[("PostgreSQL", pid)] = cpu;
                }
            }
        }

        if (_browser)
        {
            foreach (var (pid, command) in Descendants(Environment.ProcessId))
            {
                if (Read(pid) is { } cpu)
                {
                    seconds[(command == "node" ? BrowserDriver : Browser, pid)] = cpu;
                }
            }
        }

        return new Sample(seconds);
    }

    /// <summary>CPU seconds per watched name between two samples (a process new since the first counts from zero).</summary>
    public IReadOnlyList<(string Name, double Seconds)> Between(Sample start, Sample end)
    {
        var names = _processes.Select(p => p.Name).Distinct().ToList();
        if (_postgresDatabase is not null)
        {
            names.Add("PostgreSQL");
        }

        if (_browser)
        {
            names.AddRange([Browser, BrowserDriver]);
        }

        return names
            .Select(name => (name, end.Seconds.Where(s => s.Key.Name == name).Sum(s => s.Value - start.Seconds.GetValueOrDefault(s.Key))))
            .ToList();
    }

    private static double? Read(int pid)
    {
        try
        {
            // Fields after the command name, which is in parentheses and may hold spaces: state is
            // field 3, utime field 14 and stime field 15 (proc(5)).
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The processes descended from <paramref name="ancestor"/>, with their command names (proc(5): comm and ppid in stat).</summary>
    private static List<(int Pid, string Command)> Descendants(int ancestor)
    {
        var children = new Dictionary<int, List<(int Pid, string Command)>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                var parent = int.Parse(stat[(close + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add((pid, stat[(open + 1)..close]));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // The process ended while the list was read.
            }
        }

        var found = new List<(int Pid, string Command)>();
        var pending = new Queue<int>([ancestor]);
        while (pending.TryDequeue(out var pid))
        {
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                found.Add(child);
                pending.Enqueue(child.Pid);
            }
        }

        return found;
    }

    // A backend's title is "postgres: [<cluster>: ]<user> <database> <client> <state>" (Debian names the cluster, "15/main:").
    private static bool IsBackendOf(int pid, string database)
    {
        try
        {
            var title = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return title.StartsWith("postgres: ", StringComparison.Ordinal)
                && title.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2).Take(2).Contains(database);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits until the watched processes together use less than <paramref name="cores"/> of a core
    /// over one second (the services have worked off what was queued), or <paramref name="timeout"/>
    /// has passed; returns how long it waited, or null if they did not quieten.
    /// </summary>
    public async Task<TimeSpan?> WaitUntilQuietAsync(double cores, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = DateTime.UtcNow;
        var previous = Take();
        while (DateTime.UtcNow - start < timeout)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var next = Take();
            if (Between(previous, next).Sum(p => p.Seconds) < cores)
            {
                return DateTime.UtcNow - start;
            }

            previous = next;
        }

        return null;
    }

    public sealed record Sample(IReadOnlyDictionary<(string Name, int Pid), double> Seconds);
}
