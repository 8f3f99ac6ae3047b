package minietcd.kit.components;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.Informer;
import minietcd.kit.controlplane.ListerWatcher;
import minietcd.kit.controlplane.NodeLifecycleController;
import minietcd.kit.controlplane.ReplicaSetController;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.Scheduler;

/**
 * One control-plane component as a process, over a Kubernetes API server, with lab 5's classes
 * (whichever are on the class path: the reference's or the learner's):
 * <pre>
 *   ComponentMain scheduler --server URL --identity NAME            (leader-elected: Lease kube-system/kube-scheduler)
 *   ComponentMain controller-manager --server URL --identity NAME   (leader-elected: Lease kube-system/kube-controller-manager;
 *                                                                    the ReplicaSet and node lifecycle controllers)
 *   ComponentMain kubelet --server URL --node NAME [--cpu 4] [--memory 8Gi]
 * </pre>
 * A leader-elected component releases its Lease when it is stopped (SIGTERM), so its standby takes
 * over at once; killed (SIGKILL), the standby waits out the Lease (15 s).
 */
public final class ComponentMain {
    private ComponentMain() {}

    public static void main(String[] args) {
        List<String> a = Arrays.asList(args);
        if (a.isEmpty() || !ROLES.contains(a.get(0))) {
            System.err.println("usage: ComponentMain scheduler|controller-manager|kubelet --server URL [--identity NAME] [--node NAME --cpu N --memory Q]");
            System.exit(2);
        }
        String role = a.get(0);
        URI server = URI.create(value(a, "--server", "http://127.0.0.1:6443"));
        String identity = value(a, "--identity", value(a, "--node", role + "-" + ProcessHandle.current().pid()));
        Runnable stop = start(role, server, identity, value(a, "--cpu", "4"), value(a, "--memory", "8Gi"));
        System.out.println(role + " " + identity + " over the API server " + server);
        Runtime.getRuntime().addShutdownHook(new Thread(stop));
    }

    /** The roles a component can have. */
    public static final List<String> ROLES = List.of("scheduler", "controller-manager", "kubelet");

    /**
     * Starts a component on a thread of its own; the returned action stops it (a leader releasing
     * its Lease) and waits for its thread to end. {@code identity} is a kubelet's node name;
     * {@code cpu} and {@code memory} are a kubelet's capacity (ignored by the others).
     */
    public static Runnable start(String role, URI server, String identity, String cpu, String memory) {
        ComponentThread thread = new ComponentThread(role + " " + identity);
        ApiClient api = new ApiClient(server, thread);
        Runnable stop = switch (role) {
            case "kubelet" -> {
                Kubelet k = new Kubelet(api, thread, identity, cpu, memory);
                k.start();
                yield k::stop;
            }
            case "scheduler" -> {
                LeaderElected e = new LeaderElected(api, thread, "kube-scheduler", identity, writes -> {
                    Informer pods = Components.informer(ListerWatcher.of(new ApiObjectStore(api, Resource.PODS), ""), Resource.PODS, thread, 0);
                    Informer nodes = Components.informer(ListerWatcher.of(new ApiObjectStore(api, Resource.NODES), ""), Resource.NODES, thread, 0);
                    Scheduler s = Components.scheduler(pods, nodes, ApiWrites.binder(writes), thread);
                    pods.start();
                    nodes.start();
                    boolean[] stopped = {false};
                    whenSynced(thread, List.of(pods, nodes), () -> { if (!stopped[0]) s.start(); });
                    return () -> { stopped[0] = true; s.stop(); pods.stop(); nodes.stop(); };
                });
                e.start();
                yield e::stop;
            }
            case "controller-manager" -> {
                LeaderElected e = new LeaderElected(api, thread, "kube-controller-manager", identity, writes -> {
                    Informer rs = Components.informer(ListerWatcher.of(new ApiObjectStore(api, Resource.REPLICASETS), ""), Resource.REPLICASETS, thread, 0);
                    Informer pods = Components.informer(ListerWatcher.of(new ApiObjectStore(api, Resource.PODS), ""), Resource.PODS, thread, 0);
                    Informer nodes = Components.informer(ListerWatcher.of(new ApiObjectStore(api, Resource.NODES), ""), Resource.NODES, thread, 0);
                    Informer nodeLeases = Components.informer(ListerWatcher.of(new ApiObjectStore(api, Resource.LEASES), "kube-node-lease"), Resource.LEASES, thread, 0);
                    ReplicaSetController c = Components.replicaSetController(rs, pods, ApiWrites.podControl(writes), thread);
                    NodeLifecycleController n = Components.nodeLifecycleController(nodes, nodeLeases, pods, ApiWrites.podControl(writes), thread);
                    List<Informer> informers = List.of(rs, pods, nodes, nodeLeases);
                    informers.forEach(Informer::start);
                    boolean[] stopped = {false};
                    whenSynced(thread, informers, () -> {
                        if (stopped[0]) return;
                        c.start();
                        n.start();
                    });
                    return () -> { stopped[0] = true; c.stop(); n.stop(); informers.forEach(Informer::stop); };
                });
                e.start();
                yield e::stop;
            }
            default -> throw new IllegalArgumentException("no component role " + role + ": " + ROLES);
        };
        return () -> {
            stop.run();
            thread.shutDown(2_000);
            try {
                Thread.sleep(500); // not a component's code: the caller lets a release reach the API server before it goes on (or the process ends)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /**
     * Runs {@code then} once every informer has synced (client-go's WaitForCacheSync): a controller
     * that acted on half a cache would make pods that exist already, and a scheduler would not count
     * the pods bound where it places more. Its handlers, added then, still hear of every cached object.
     */
    static void whenSynced(ComponentThread thread, List<Informer> informers, Runnable then) {
        if (informers.stream().allMatch(Informer::hasSynced)) then.run();
        else thread.after(100, () -> whenSynced(thread, informers, then));
    }

    private static String value(List<String> args, String name, String absent) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : absent;
    }
}
