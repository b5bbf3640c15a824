using System.Diagnostics;
using Npgsql;

namespace MsaShop.Harness;

/// <summary>A throwaway PostgreSQL cluster: initdb into a temporary directory, postgres in the foreground.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string ServiceUser = "postgres";
    private readonly string _directory;
    private readonly string _binDirectory;
    private readonly ProcessRegistry _registry;
    private ServerProcess? _server;

    private PostgresServer(string directory, string binDirectory, int port, ProcessRegistry registry)
    {
        _directory = directory;
        _binDirectory = binDirectory;
        Port = port;
        _registry = registry;
    }

    public int Port { get; }

    public int? Pid => _server?.Pid;

    private string DataDirectory => Path.Combine(_directory, "data");

    private string LogPath => Path.Combine(_directory, "postgres.log");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={ServiceUser};Database={database}";

    internal static async Task<PostgresServer> StartAsync(
        string root, ProcessRegistry registry, bool durable, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, "postgres")).FullName;
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (PosixCalls.IsRoot)
        {
            // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
            PosixCalls.Chown(directory, PosixCalls.LookupUser(ServiceUser));
        }
        var server = new PostgresServer(directory, FindBinDirectory(), FreePort.Next(), registry) { Durable = durable };
        await CommandRunner.RunAsync(server.Command("initdb",
            "-D", server.DataDirectory, "-U", ServiceUser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"),
            TimeSpan.FromMinutes(2), cancellationToken);
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>Every commit flushed to disk (PostgreSQL's defaults) rather than the tests' fast, throwaway settings.</summary>
    public bool Durable { get; init; }

    /// <summary>Starts (or restarts) the server on the same port and data.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // A throwaway cluster for tests: durability settings off for speed. Benchmarks keep PostgreSQL's defaults.
        // Benchmarks also count statements per order: pg_stat_statements ships with Debian's PostgreSQL.
        string[] durability = Durable
            ? ["-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track=all"]
            : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
        _server = ServerProcess.Start(_registry, Command("postgres",
            ["-D", DataDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-k", _directory, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", .. durability]), LogPath);
        await CommandRunner.WaitUntilAsync(
            CanConnectAsync, $"PostgreSQL on port {Port}", LogPath, TimeSpan.FromSeconds(60), cancellationToken);
    }

    /// <summary>Fast shutdown (SIGINT): open sessions are ended.</summary>
    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync(PosixCalls.SigInt, TimeSpan.FromSeconds(15));
        }
    }

    /// <summary>A crash: the server and every backend SIGKILLed at once; the next start recovers by replaying the WAL.</summary>
    public async Task CrashAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.CrashAsync();
        }
    }

    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        var quoted = name.Replace("\"", "\"\"", StringComparison.Ordinal);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{quoted}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task<bool> CanConnectAsync()
    {
        if (_server is null || _server.HasExited)
        {
            throw new InvalidOperationException($"postgres exited during start-up; see {LogPath}");
        }
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false;Timeout=2");
            await connection.OpenAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private ProcessStartInfo Command(string tool, params string[] arguments)
    {
        var path = Path.Combine(_binDirectory, tool);
        var start = PosixCalls.IsRoot
            ? new ProcessStartInfo("setpriv",
                ["--reuid=" + ServiceUser, "--regid=" + ServiceUser, "--init-groups", "--", path, .. arguments])
            : new ProcessStartInfo(path, arguments);
        start.WorkingDirectory = _directory;
        return start;
    }

    private static string FindBinDirectory()
    {
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return installed
            ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException(
                "PostgreSQL is not installed: apt-get install postgresql (eng/test.sh does it when run as root)");
    }
}
