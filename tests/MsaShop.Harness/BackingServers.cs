namespace MsaShop.Harness;

/// <summary>
/// Real PostgreSQL, Redis and RabbitMQ servers for one test run or one local run of the shop:
/// loopback ports chosen at start, data in a temporary directory, every process stopped by PID on
/// disposal (and by a reaper if this process dies first). Connection strings are handed out under
/// the resource names the AppHost uses.
/// </summary>
public sealed class BackingServers : IAsyncDisposable
{
    private readonly ProcessRegistry _registry;
    private int _disposed;

    private BackingServers(string directory, ProcessRegistry registry)
    {
        Directory = directory;
        _registry = registry;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The temporary directory holding every server's data and logs.</summary>
    public string Directory { get; }

    public PostgresServer? Postgres { get; private set; }

    public RedisServer? Redis { get; private set; }

    public RabbitMqServer? RabbitMq { get; private set; }

    public static async Task<BackingServers> StartAsync(
        BackingServersOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new BackingServersOptions();
        var directory = System.IO.Directory.CreateTempSubdirectory("msashop-infra-").FullName;
        // Every parent of the PostgreSQL directory must be traversable by the postgres user.
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var infrastructure = new BackingServers(directory, new ProcessRegistry(directory));
        try
        {
            // The three servers start side by side: RabbitMQ's ~6 s dominates.
            var postgres = options.Postgres
                ? PostgresServer.StartAsync(directory, infrastructure._registry, options.DurablePostgres, cancellationToken)
                : null;
            var redis = options.Redis ? RedisServer.StartAsync(directory, infrastructure._registry, cancellationToken) : null;
            var rabbitMq = options.RabbitMq ? RabbitMqServer.StartAsync(directory, infrastructure._registry, cancellationToken) : null;
            await Task.WhenAll(new Task?[] { postgres, redis, rabbitMq }.OfType<Task>());
            infrastructure.Postgres = postgres is null ? null : await postgres;
            infrastructure.Redis = redis is null ? null : await redis;
            infrastructure.RabbitMq = rabbitMq is null ? null : await rabbitMq;
            foreach (var database in infrastructure.Postgres is null ? [] : options.Databases)
            {
                await infrastructure.Postgres!.CreateDatabaseAsync(database, cancellationToken);
            }
            return infrastructure;
        }
        catch
        {
            infrastructure._registry.KillAll();
            await infrastructure.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connection strings by resource name: catalogdb, orderingdb, paymentdb, cache, messaging.</summary>
    public IReadOnlyDictionary<string, string> ConnectionStrings
    {
        get
        {
            var connectionStrings = new Dictionary<string, string>();
            foreach (var database in Postgres is null ? [] : ResourceNames.Databases)
            {
                connectionStrings[database] = Postgres!.ConnectionString(database);
            }
            if (Redis is not null)
            {
                connectionStrings[ResourceNames.Cache] = Redis.ConnectionString;
            }
            if (RabbitMq is not null)
            {
                connectionStrings[ResourceNames.Messaging] = RabbitMq.ConnectionString();
            }
            return connectionStrings;
        }
    }

    /// <summary>The configuration keys Aspire would inject: <c>ConnectionStrings:&lt;name&gt;</c>.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ToConfiguration() =>
        ConnectionStrings.Select(c => KeyValuePair.Create($"ConnectionStrings:{c.Key}", (string?)c.Value));

    /// <summary>The same keys as environment variables: <c>ConnectionStrings__&lt;name&gt;</c>.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToEnvironment() =>
        ConnectionStrings.Select(c => KeyValuePair.Create($"ConnectionStrings__{c.Key}", c.Value));

    /// <summary>
    /// Starts a process beside the servers (an MsaShop service), its output in <c>&lt;name&gt;.log</c> in <see cref="Directory"/>;
    /// stopped by its PID, by the caller or, if this process dies first, by the same reaper as the servers.
    /// </summary>
    public LocalProcess StartProcess(string name, System.Diagnostics.ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var logPath = Path.Combine(Directory, $"{name}.log");
        return new LocalProcess(name, ServerProcess.Start(_registry, start, logPath), logPath);
    }

    /// <summary>Every server PID this instance currently runs.</summary>
    public IReadOnlyList<int> Pids =>
        new[] { Postgres?.Pid, Redis?.Pid, RabbitMq?.Pid, RabbitMq?.EpmdPid }.OfType<int>().ToList();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        var stops = new List<Task>();
        if (Postgres is not null) stops.Add(Postgres.DisposeAsync().AsTask());
        if (Redis is not null) stops.Add(Redis.DisposeAsync().AsTask());
        if (RabbitMq is not null) stops.Add(RabbitMq.DisposeAsync().AsTask());
        await Task.WhenAll(stops);
        _registry.Dispose();
        TryDeleteDirectory();
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // No time for graceful stops at process exit: kill, the reaper would do the same a second later.
        _registry.KillAll();
        _registry.Dispose();
    }

    private void TryDeleteDirectory()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is not worth failing a run for: it is in the temp directory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
