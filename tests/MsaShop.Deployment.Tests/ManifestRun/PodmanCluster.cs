using System.Globalization;
using System.Net;
using System.Text.Json;
using MsaShop.Deployment.Tests.Images;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.ManifestRun;

/// <summary>
/// A rendered overlay run with podman, the way a cluster would run it, without a cluster: one network; every Service
/// an address of its own (<see cref="ServiceProxy"/>) under its cluster DNS names (host entries in every container:
/// podman's CNI networks here resolve no names); one pod per StatefulSet, Job and Deployment, its environment built
/// from the rendered ConfigMaps and Secrets (<see cref="PodEnvironment"/>), its securityContext mapped to podman's
/// flags (user and group, read-only root, dropped capabilities, no privilege escalation), its volumes (emptyDir as
/// tmpfs, ConfigMap and Secret files, a volume per claim owned by the pod's user), its probes run as the kubelet runs
/// them (<see cref="PodProbe"/>). The Service the HTTPRoute leads to is published on 127.0.0.1. Not modelled:
/// NetworkPolicies, autoscalers, PodDisruptionBudgets, more than one replica.
/// </summary>
internal sealed class PodmanCluster : IDisposable
{
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromMinutes(3);
    // The names the cluster's DNS answers for a Service in the msashop namespace.
    private static readonly string[] DnsSuffixes = ["", ".msashop", ".msashop.svc", ".msashop.svc.cluster.local"];

    private readonly ContainerRuntime _runtime;
    private readonly RenderedManifests _manifests;
    private readonly string _prefix;
    private readonly IReadOnlyList<string> _labels;
    private readonly string _directory;
    private readonly Func<string, string?> _imageOf;
    private readonly Dictionary<string, string> _podAddresses = [];
    private readonly Dictionary<string, string> _serviceAddresses = [];
    private readonly List<ServiceProxy> _proxies = [];
    private readonly List<string> _notRun = [];
    private string _subnetPrefix = "";

    /// <param name="imageOf">The image to run for a manifest's image: the one published here, or null when it cannot be had.</param>
    public PodmanCluster(ContainerRuntime runtime, RenderedManifests manifests, string prefix, IReadOnlyList<string> labels,
        string directory, Func<string, string?> imageOf)
    {
        _runtime = runtime;
        _manifests = manifests;
        _prefix = prefix;
        _labels = labels;
        _directory = directory;
        _imageOf = imageOf;
    }

    public string Network => _prefix;

    /// <summary>Where the Service the HTTPRoute leads to answers on this machine.</summary>
    public Uri Gateway { get; private set; } = null!;

    /// <summary>The Service the HTTPRoute leads to.</summary>
    public string ExposedService => (string)_manifests.OfKind("HTTPRoute").Single()["spec"]!["rules"]![0]!["backendRefs"]![0]!["name"]!;

    /// <summary>Workloads left out, each with the reason: an image that cannot be had on this machine.</summary>
    public IReadOnlyList<string> NotRun => _notRun;

    /// <summary>Every container the run started: pods and Service proxies.</summary>
    public IEnumerable<string> Containers => _podAddresses.Keys.Select(ContainerOf).Concat(_proxies.Select(p => p.Container));

    /// <summary>The PIDs of the Services' forwarders (socat), for a cleanup that outlives this process.</summary>
    public IEnumerable<int> ForwarderPids => _proxies.SelectMany(p => p.Pids);

    public string ContainerOf(string workload) => $"{_prefix}-{workload}";

    public string ProxyOf(string service) => $"{_prefix}-svc-{service}";

    public async Task CreateNetworkAsync()
    {
        await _runtime.RunAsync(["network", "create", .. LabelArguments(), Network]);
        var network = JsonDocument.Parse(await _runtime.RunAsync("network", "inspect", Network)).RootElement[0];
        var subnet = network.TryGetProperty("subnets", out var subnets)
            ? subnets[0].GetProperty("subnet").GetString()!
            : network.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Subnet").GetString()!;
        var (address, length) = (subnet.Split('/')[0], int.Parse(subnet.Split('/')[1], CultureInfo.InvariantCulture));
        if (length > 24 || IPAddress.Parse(address).AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new InvalidOperationException($"network {Network} has subnet {subnet}; an IPv4 /24 or wider is expected");
        }

        _subnetPrefix = address[..(address.LastIndexOf('.') + 1)];
        // Addresses are planned up front: every container knows every Service's name before anything starts.
        var pods = _manifests.PodTemplates.Where(w => Runnable(w) is null).ToList();
        foreach (var (pod, index) in pods.Select((p, i) => (p, i)))
        {
            _podAddresses[pod.Name] = _subnetPrefix + (100 + index);
        }

        foreach (var (service, index) in _manifests.OfKind("Service").Where(s => Endpoint(s) is not null).Select((s, i) => (s, i)))
        {
            _serviceAddresses[RenderedManifests.NameOf(service)] = _subnetPrefix + (10 + index);
        }
    }

    /// <summary>Runs every workload of a kind (StatefulSet, Job, Deployment) and waits for it: ready, or completed for a Job.</summary>
    public async Task RunAsync(string kind)
    {
        var workloads = _manifests.PodTemplates.Where(w => w.Kind == kind).ToList();
        foreach (var workload in workloads)
        {
            if (Runnable(workload) is { } reason)
            {
                _notRun.Add($"{workload}: {reason}");
                continue;
            }

            await StartPodAsync(workload);
        }

        foreach (var service in _manifests.OfKind("Service").Where(s => workloads.Any(w => w.Name == Endpoint(s)?.Name)))
        {
            await StartProxyAsync(service, Endpoint(service)!);
        }

        await Task.WhenAll(workloads.Where(w => Runnable(w) is null).Select(w => kind == "Job" ? CompleteAsync(w) : ReadyAsync(w)));
    }

    public void Dispose()
    {
        foreach (var proxy in _proxies)
        {
            proxy.Dispose();
        }
    }

    private async Task StartPodAsync(Workload workload)
    {
        var podName = workload.Kind == "StatefulSet" ? $"{workload.Name}-0" : workload.Name;
        var address = _podAddresses[workload.Name];
        var container = workload.MainContainer;
        var environment = PodEnvironment.Of(container, _manifests, podName, address);
        List<string> arguments = ["run", "-d", "--name", ContainerOf(workload.Name), "--hostname", podName,
            "--network", Network, "--ip", address, .. LabelArguments(), .. HostEntries()];
        foreach (var (name, value) in environment)
        {
            arguments.AddRange(["-e", $"{name}={value}"]);
        }

        arguments.AddRange(await SecurityArgumentsAsync(workload, container));
        arguments.AddRange(await VolumeArgumentsAsync(workload, container, podName));
        if (container["command"] is JsonArray command)
        {
            arguments.AddRange(
                ["--entrypoint", JsonSerializer.Serialize(command.Select(c => PodEnvironment.Expand((string)c!, environment)))]);
        }

        arguments.Add(_imageOf((string)container["image"]!)!);
        arguments.AddRange((container["args"]?.AsArray() ?? []).Select(a => PodEnvironment.Expand((string)a!, environment)));
        await _runtime.RunAsync([.. arguments]);
    }

    /// <summary>The pod's and container's securityContext as podman flags; runAsNonRoot checked as the kubelet checks it.</summary>
    private async Task<IEnumerable<string>> SecurityArgumentsAsync(Workload workload, JsonObject container)
    {
        var pod = workload.PodSpec["securityContext"];
        var own = container["securityContext"];
        var user = (int?)own?["runAsUser"] ?? (int?)pod?["runAsUser"];
        var group = (int?)own?["runAsGroup"] ?? (int?)pod?["runAsGroup"];
        var arguments = new List<string>();
        if (user is null)
        {
            var imageUser = (await _runtime.ImageConfigAsync(_imageOf((string)container["image"]!)!)).GetProperty("User").GetString();
            user = int.TryParse(imageUser?.Split(':')[0], out var numeric) ? numeric : null;
        }

        if (((bool?)own?["runAsNonRoot"] ?? (bool?)pod?["runAsNonRoot"]) == true && user is null or 0)
        {
            throw new InvalidOperationException(
                $"{workload}: runAsNonRoot, but it would run as {(user is null ? "a user name the kubelet cannot check" : "root")}");
        }

        if (user is not null)
        {
            arguments.AddRange(["--user", group is null ? $"{user}" : $"{user}:{group}"]);
        }

        if ((int?)pod?["fsGroup"] is { } fsGroup)
        {
            arguments.AddRange(["--group-add", fsGroup.ToString(CultureInfo.InvariantCulture)]);
        }

        if ((bool?)own?["readOnlyRootFilesystem"] == true)
        {
            // podman would add writable tmpfs mounts of its own (/tmp, /run): the manifest's volumes are the only ones.
            arguments.AddRange(["--read-only", "--read-only-tmpfs=false"]);
        }

        foreach (var capability in own?["capabilities"]?["drop"]?.AsArray() ?? [])
        {
            arguments.AddRange(["--cap-drop", (string)capability!]);
        }

        foreach (var capability in own?["capabilities"]?["add"]?.AsArray() ?? [])
        {
            arguments.AddRange(["--cap-add", (string)capability!]);
        }

        if ((bool?)own?["allowPrivilegeEscalation"] == false)
        {
            arguments.AddRange(["--security-opt", "no-new-privileges"]);
        }

        return arguments;
    }

    private async Task<IEnumerable<string>> VolumeArgumentsAsync(Workload workload, JsonObject container, string podName)
    {
        var volumes = (workload.PodSpec["volumes"]?.AsArray() ?? []).ToDictionary(v => (string)v!["name"]!, v => v!);
        var claims = (workload.Spec["volumeClaimTemplates"]?.AsArray() ?? []).Select(c => (string)c!["metadata"]!["name"]!).ToHashSet();
        var arguments = new List<string>();
        foreach (var mount in container["volumeMounts"]?.AsArray() ?? [])
        {
            var (name, path, readOnly) = ((string)mount!["name"]!, (string)mount["mountPath"]!, (bool?)mount["readOnly"] == true);
            if (mount["subPath"] is not null)
            {
                throw new NotSupportedException($"{workload}: subPath mounts are not run here");
            }

            if (claims.Contains(name))
            {
                // A persistent volume as the kubelet hands it over: a directory of this run's whose group is the pod's
                // fsGroup, group-writable and setgid. (A podman volume would take the owner of the image's directory
                // on first use, which no kubelet does.)
                var directory = Path.Combine(_directory, "volumes", podName, name);
                Directory.CreateDirectory(directory);
                if ((int?)workload.PodSpec["securityContext"]?["fsGroup"] is { } fsGroup)
                {
                    await ProcessRunner.RunAsync("chgrp", [fsGroup.ToString(CultureInfo.InvariantCulture), directory], RepositoryRoot.Path);
                    await ProcessRunner.RunAsync("chmod", ["2775", directory], RepositoryRoot.Path);
                }

                OpenToTheirOwners(directory);
                arguments.AddRange(["-v", $"{directory}:{path}"]);
            }
            else if (volumes[name]["emptyDir"] is not null)
            {
                // An empty directory on the node that anyone may write, as the kubelet makes an emptyDir. (podman's
                // tmpfs takes the mode and owner of the image's directory, which an emptyDir never does.)
                var directory = Path.Combine(_directory, "volumes", podName, name);
                Directory.CreateDirectory(directory);
                if (OperatingSystem.IsLinux())
                {
                    File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);
                }

                OpenToTheirOwners(Path.GetDirectoryName(directory)!);
                arguments.AddRange(["-v", $"{directory}:{path}"]);
            }
            else
            {
                var files = await WriteFilesAsync(workload, name, volumes[name]);
                arguments.AddRange(["-v", $"{files}:{path}:ro"]);
            }
        }

        return arguments;
    }

    /// <summary>A ConfigMap or Secret volume: its keys as files, readable by the pod's user.</summary>
    private async Task<string> WriteFilesAsync(Workload workload, string volume, JsonNode source)
    {
        var (kind, name) = source["configMap"] is { } configMap
            ? ("ConfigMap", (string)configMap["name"]!)
            : ("Secret", (string)source["secret"]!["secretName"]!);
        var directory = Path.Combine(_directory, "volumes", workload.Name, volume);
        Directory.CreateDirectory(directory);
        foreach (var (key, value) in PodEnvironment.Data(_manifests, kind, name))
        {
            await File.WriteAllTextAsync(Path.Combine(directory, key), value);
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(Path.Combine(directory, key),
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
        }

        OpenToTheirOwners(Path.GetDirectoryName(directory)!);
        return directory;
    }

    /// <summary>The folders above a mounted one may be entered by any user, as a node's are.</summary>
    private void OpenToTheirOwners(string directory)
    {
        for (var path = directory;
            OperatingSystem.IsLinux() && path.StartsWith(_directory, StringComparison.Ordinal);
            path = Path.GetDirectoryName(path)!)
        {
            File.SetUnixFileMode(path,
                File.GetUnixFileMode(
                path) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    private async Task StartProxyAsync(JsonObject service, Workload endpoint)
    {
        var name = RenderedManifests.NameOf(service);
        var ports = service["spec"]!["ports"]!.AsArray().Select(p => (Port: (int)p!["port"]!, Target: p["targetPort"] ?? p["port"]!))
            .ToList();
        List<string> arguments =
            ["run", "-d", "--name", ProxyOf(name), "--network", Network, "--ip", _serviceAddresses[name], .. LabelArguments(),
            "--read-only", "--cap-drop", "ALL", "--user", "65534:65534", "--entrypoint", "sleep"];
        if (name == ExposedService)
        {
            arguments.AddRange(ports.SelectMany(p => new[] { "-p", $"127.0.0.1::{p.Port}" }));
        }

        await _runtime.RunAsync([.. arguments, _imageOf((string)endpoint.MainContainer["image"]!)!, "infinity"]);
        var proxy = new ServiceProxy(_runtime, ProxyOf(name), _serviceAddresses[name]);
        _proxies.Add(proxy);
        foreach (var (port, target) in ports)
        {
            var targetPort = target.GetValueKind() == JsonValueKind.Number
                ? (int)target
                : endpoint.ContainerPorts.Single(p => p.Name == (string?)target).Port;
            await proxy.ForwardAsync(port, $"{_podAddresses[endpoint.Name]}:{targetPort}", Path.Combine(_directory, $"proxy-{name}.log"));
        }

        await File.WriteAllLinesAsync(Path.Combine(_directory, "forwarders.pid"),
            ForwarderPids.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        if (name == ExposedService)
        {
            var published = await _runtime.RunAsync("port", ProxyOf(name), $"{ports[0].Port}/tcp");
            Gateway = new Uri($"http://{published.Split('\n')[0].Trim()}");
        }
    }

    private async Task ReadyAsync(Workload workload)
    {
        var probe = new PodProbe(_runtime, ContainerOf(workload.Name), _podAddresses[workload.Name], workload.ContainerPorts);
        try
        {
            await probe.WaitUntilReadyAsync(workload.MainContainer, ReadinessTimeout);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}\n{await LogsAsync(workload)}", timeout);
        }
    }

    private async Task CompleteAsync(Workload job)
    {
        // podman wait returns the exit status once the pod's container ends (ProcessRunner gives up after 5 minutes).
        var exit = await _runtime.RunAsync("wait", ContainerOf(job.Name));
        if (exit != "0")
        {
            throw new InvalidOperationException($"{job} exited with {exit}\n{await LogsAsync(job)}");
        }
    }

    public async Task<string> LogsAsync(Workload workload)
    {
        var logs = await ProcessRunner.RunAsync(_runtime.Name, ["logs", "--tail", "40", ContainerOf(workload.Name)], RepositoryRoot.Path);
        return $"{ContainerOf(workload.Name)}'s last lines:\n{logs.Output}{logs.Error}";
    }

    /// <summary>Why a workload cannot run here, or null when it can.</summary>
    private string? Runnable(Workload workload) =>
        workload.Containers.Count != 1 ? "more than one container"
        : _imageOf((string)workload.MainContainer["image"]!) is null
            ? $"its image {workload.MainContainer["image"]} cannot be had on this machine"
        : null;

    /// <summary>The one workload a Service selects (and that runs here), or null.</summary>
    private Workload? Endpoint(JsonObject service)
    {
        var selector = new JsonObject { ["matchLabels"] = service["spec"]!["selector"]?.DeepClone() };
        return _manifests.Workloads.Where(w =>
            w.Kind != "Job" && service["spec"]!["selector"] is not null && LabelSelector.Matches(selector, w.PodLabels))
            .SingleOrDefault(w => Runnable(w) is null);
    }

    /// <summary>What the cluster's DNS would answer: each Service's names, in every container.</summary>
    private IEnumerable<string> HostEntries() => _serviceAddresses.SelectMany(service =>
        DnsSuffixes.SelectMany(suffix => new[] { "--add-host", $"{service.Key}{suffix}:{service.Value}" }));

    private IEnumerable<string> LabelArguments() => _labels.SelectMany(label => new[] { "--label", label });
}
