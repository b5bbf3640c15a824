using System.Diagnostics;
using System.Globalization;

namespace MsaShop.Harness;

/// <summary>
/// A throwaway RabbitMQ node with its own epmd, both on loopback ports of their own, so two nodes
/// side by side never meet. The broker is started without the /usr/sbin wrapper (which switches user
/// and loses the cookie), exec'ing straight into the Erlang VM so its PID is the one we stop.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private const string ScriptDirectory = "/usr/lib/rabbitmq/bin";
    private readonly string _directory;
    private readonly ProcessRegistry _registry;
    private readonly int _epmdPort;
    private readonly int _distPort;
    private ServerProcess? _epmd;
    private ServerProcess? _broker;

    private RabbitMqServer(string directory, ProcessRegistry registry)
    {
        _directory = directory;
        _registry = registry;
        Port = FreePort.Next();
        _epmdPort = FreePort.Next();
        _distPort = FreePort.Next();
        NodeName = $"msashop{Port}@localhost";
    }

    public int Port { get; }

    public string NodeName { get; }

    public int? Pid => _broker?.Pid;

    public int? EpmdPid => _epmd?.Pid;

    public const string UserName = "guest";

    /// <summary>The AMQP URI of a virtual host ("/" by default), the form Aspire injects for RabbitMQ.</summary>
    public string ConnectionString(string virtualHost = "/") =>
        $"amqp://{UserName}:{UserName}@127.0.0.1:{Port}/{Uri.EscapeDataString(virtualHost)}";

    private string LogPath => Path.Combine(_directory, "rabbitmq.log");

    private string PidFile => Path.Combine(_directory, "rabbitmq.pid");

    internal static async Task<RabbitMqServer> StartAsync(string root, ProcessRegistry registry, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, "rabbitmq")).FullName;
        Directory.CreateDirectory(Path.Combine(directory, "home"));
        File.WriteAllText(Path.Combine(directory, "enabled_plugins"), "[].");
        File.WriteAllText(Path.Combine(directory, "rabbitmq-env.conf"), "");
        var server = new RabbitMqServer(directory, registry);
        var epmdLog = Path.Combine(directory, "epmd.log");
        server._epmd = ServerProcess.Start(registry, server.Command("epmd",
            "-port", server._epmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1"), epmdLog);
        await CommandRunner.WaitUntilAsync(() => Task.FromResult(FreePort.IsListening(server._epmdPort)),
            $"epmd on port {server._epmdPort}", epmdLog, TimeSpan.FromSeconds(15), cancellationToken);
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts (or restarts) the broker on the same ports; durable queues and virtual hosts survive.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        File.Delete(PidFile);
        var start = Command(Path.Combine(ScriptDirectory, "rabbitmq-server"));
        start.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        start.Environment["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_DIST_PORT"] = _distPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia");
        start.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log");
        start.Environment["RABBITMQ_PID_FILE"] = PidFile;
        start.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(_directory, "rabbitmq");
        // Loopback only; "+B i" ignores SIGINT (a terminal's Ctrl-C reaches the whole group): we stop it with SIGTERM.
        start.Environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1} +B i";
        // Makes the start script exec the Erlang VM instead of wrapping it in a shell.
        start.Environment["RUNNING_UNDER_SYSTEMD"] = "true";
        _broker = ServerProcess.Start(_registry, start, LogPath);
        try
        {
            await CommandRunner.WaitUntilAsync(() => Task.FromResult(File.Exists(PidFile) || _broker.HasExited),
                $"RabbitMQ pid file {PidFile}", LogPath, TimeSpan.FromSeconds(60), cancellationToken);
            await CtlAsync(cancellationToken, "wait", PidFile, "--timeout", "90");
            await CommandRunner.WaitUntilAsync(() => Task.FromResult(FreePort.IsListening(Port)),
                $"RabbitMQ AMQP port {Port}", LogPath, TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch
        {
            await StopBrokerAsync();
            throw;
        }
    }

    /// <summary>Stops the broker (graceful SIGTERM) but keeps epmd and the data, for outage tests.</summary>
    public Task StopAsync() => StopBrokerAsync();

    /// <summary>Kills the broker without grace.</summary>
    public async Task KillAsync()
    {
        if (_broker is { } broker)
        {
            _broker = null;
            await broker.KillAsync();
        }
    }

    /// <summary>A virtual host of its own, with full rights for <see cref="UserName"/>: isolates one test's queues.</summary>
    public async Task<string> CreateVirtualHostAsync(string name, CancellationToken cancellationToken = default)
    {
        await CtlAsync(cancellationToken, "add_vhost", name);
        await CtlAsync(cancellationToken, "set_permissions", "-p", name, UserName, ".*", ".*", ".*");
        return ConnectionString(name);
    }

    /// <summary>Runs rabbitmqctl against this node and returns what it printed.</summary>
    public Task<string> CtlAsync(CancellationToken cancellationToken, params string[] arguments) =>
        CommandRunner.RunAsync(Command(Path.Combine(ScriptDirectory, "rabbitmqctl"), ["-n", NodeName, "-q", .. arguments]),
            TimeSpan.FromMinutes(2), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await StopBrokerAsync();
        if (_epmd is { } epmd)
        {
            _epmd = null;
            await epmd.StopAsync(PosixCalls.SigTerm, TimeSpan.FromSeconds(5));
        }
    }

    private async Task StopBrokerAsync()
    {
        if (_broker is { } broker)
        {
            _broker = null;
            await broker.StopAsync(PosixCalls.SigTerm, TimeSpan.FromSeconds(30));
        }
    }

    private ProcessStartInfo Command(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = _directory };
        start.Environment["HOME"] = Path.Combine(_directory, "home");
        start.Environment["RABBITMQ_NODENAME"] = NodeName;
        start.Environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_directory, "rabbitmq-env.conf");
        start.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins");
        start.Environment["ERL_EPMD_PORT"] = _epmdPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        return start;
    }
}
