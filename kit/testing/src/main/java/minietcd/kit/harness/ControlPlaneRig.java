package minietcd.kit.harness;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import minietcd.kit.client.EtcdClient;
import minietcd.kit.controlplane.Binder;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.Fence;
import minietcd.kit.controlplane.Informer;
import minietcd.kit.controlplane.LeaderElector;
import minietcd.kit.controlplane.LeaseRecord;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ListerWatcher;
import minietcd.kit.controlplane.NodeLifecycleController;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.PodControl;
import minietcd.kit.controlplane.Pods;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.ReplicaSetController;
import minietcd.kit.controlplane.ReplicaSets;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.ResourceEventHandler;
import minietcd.kit.controlplane.Scheduler;
import minietcd.kit.mvcc.Event;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Trace;

/**
 * The whole of lab 5 in one simulation: the replicated store; two schedulers and two controller
 * managers (the ReplicaSet and node lifecycle controllers), each a process of its own with its
 * clock, leader-elected through Leases, writing through the fenced client; kubelets that register
 * their nodes, renew their Leases and report their pods Running; and an admin for ReplicaSets.
 * Each component reads and writes through the storage layer on its own client node (the API server
 * it talks to). A leader starts its controllers once its informers have synced, and stops them when
 * it stops leading.
 *
 * <p>One etcd watch of {@code /registry/}, in revision order, checks at every change: a pod bound
 * once and never moved; no ReplicaSet with more active pods than the highest replicas it had in the
 * 30 s before; per key, resourceVersions only grow. {@link #overcommitted} checks the nodes.
 */
public final class ControlPlaneRig {
    public static final long HEARTBEAT_MS = 10_000;

    /** One component process: its client node, its clock, its elector, and what runs while it leads. */
    public final class Process {
        public final String identity;
        public final ProcessTimers timers;
        public final LeaderElector elector;
        final int node;
        private Runnable stopRunning;

        Process(String identity, String lease, double rate, java.util.function.BiFunction<ApiStorage.Client, Supplier<Optional<Fence>>, Runnable> run) {
            this.identity = identity;
            ApiStorage.Client c = storage.client();
            this.node = c.id();
            this.timers = new ProcessTimers(storage.sim(), identity, rate, 0);
            LeaderElector[] made = new LeaderElector[1];
            made[0] = Components.leaderElector(c.store(Resource.LEASES), LeaderElector.Config.defaults("kube-system", lease, identity), timers, new LeaderElector.Callbacks() {
                @Override public void onStartedLeading() {
                    if (!timers.dead()) stopRunning = run.apply(c, () -> made[0].fence());
                }
                @Override public void onStoppedLeading() {
                    if (stopRunning != null) stopRunning.run();
                    stopRunning = null;
                }
            });
            this.elector = made[0];
            elector.start();
        }

        /** The process dies: nothing it scheduled runs again, and its node is cut off. */
        public void kill() {
            timers.kill();
            storage.sim().isolate(node);
            if (stopRunning != null) stopRunning.run();
            stopRunning = null;
        }

        public boolean leads() { return !timers.dead() && elector.isLeader(); }
    }

    private final ApiStorage storage;
    private final ApiStorage.Client admin;
    public final ObjectStore pods, replicaSets, nodes;
    public final List<Process> schedulers = new ArrayList<>(), managers = new ArrayList<>();
    private final Map<String, Boolean> kubeletAlive = new HashMap<>();
    private final Map<String, String> boundTo = new TreeMap<>();
    private final Map<String, ObjectNode> podsByKey = new TreeMap<>(), rsByKey = new TreeMap<>();
    private final Map<String, TreeMap<Long, Integer>> replicasOverTime = new TreeMap<>();
    private final Map<String, Long> lastVersion = new HashMap<>();
    private final Map<String, Boolean> nodeReady = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();

    /** {@code clockRates}: the clock rates of scheduler-1, scheduler-2, controller-manager-1 and controller-manager-2. */
    public ControlPlaneRig(long seed, Faults faults, Trace trace, double[] clockRates) {
        storage = new ApiStorage(seed, faults, trace);
        admin = storage.client();
        pods = admin.store(Resource.PODS);
        replicaSets = admin.store(Resource.REPLICASETS);
        nodes = admin.store(Resource.NODES);
        RegistryWatch.follow(storage, admin.etcd(), this::see);
        for (int i = 1; i <= 2; i++) {
            String id = "scheduler-" + i;
            schedulers.add(new Process(id, "kube-scheduler", clockRates[i - 1], (c, fence) -> scheduler(c, fence, id)));
        }
        for (int i = 1; i <= 2; i++) {
            String id = "controller-manager-" + i;
            managers.add(new Process(id, "kube-controller-manager", clockRates[i + 1], (c, fence) -> manager(c, fence, id, storage.ids())));
        }
    }

    public ApiStorage storage() { return storage; }

    private Process process(String identity) {
        for (Process p : schedulers) if (p.identity.equals(identity)) return p;
        for (Process p : managers) if (p.identity.equals(identity)) return p;
        throw new IllegalArgumentException(identity);
    }

    private static ObjectStore fenced(ApiStorage.Client c, Supplier<Optional<Fence>> fence, Resource r) {
        return Components.objectStore(Components.fencedClient(c.etcd(), fence), r);
    }

    private Runnable scheduler(ApiStorage.Client c, Supplier<Optional<Fence>> fence, String identity) {
        ProcessTimers timers = process(identity).timers;
        Informer podInformer = Components.informer(ListerWatcher.of(c.store(Resource.PODS), ""), Resource.PODS, timers, 0);
        Informer nodeInformer = Components.informer(ListerWatcher.of(c.store(Resource.NODES), ""), Resource.NODES, timers, 0);
        Scheduler s = Components.scheduler(podInformer, nodeInformer, Binder.of(fenced(c, fence, Resource.PODS)), timers);
        return startWhenSynced(timers, List.of(podInformer, nodeInformer), s::start, s::stop);
    }

    private Runnable manager(ApiStorage.Client c, Supplier<Optional<Fence>> fence, String identity, Supplier<String> ids) {
        ProcessTimers timers = process(identity).timers;
        Informer rs = Components.informer(ListerWatcher.of(c.store(Resource.REPLICASETS), ""), Resource.REPLICASETS, timers, 0);
        Informer podInformer = Components.informer(ListerWatcher.of(c.store(Resource.PODS), ""), Resource.PODS, timers, 0);
        Informer nodeInformer = Components.informer(ListerWatcher.of(c.store(Resource.NODES), ""), Resource.NODES, timers, 0);
        Informer leases = Components.informer(ListerWatcher.of(c.store(Resource.LEASES), "kube-node-lease"), Resource.LEASES, timers, 0);
        PodControl control = PodControl.of(r -> fenced(c, fence, r), ids);
        ReplicaSetController rc = Components.replicaSetController(rs, podInformer, control, timers);
        NodeLifecycleController nlc = Components.nodeLifecycleController(nodeInformer, leases, podInformer, control, timers);
        return startWhenSynced(timers, List.of(rs, podInformer, nodeInformer, leases), () -> { rc.start(); nlc.start(); }, () -> { rc.stop(); nlc.stop(); });
    }

    /** Starts the informers, and {@code start} once they have synced; the returned action stops it all. */
    private static Runnable startWhenSynced(ProcessTimers timers, List<Informer> informers, Runnable start, Runnable stop) {
        boolean[] state = {false, false}; // started, stopped
        informers.forEach(Informer::start);
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (state[1]) return;
            if (informers.stream().allMatch(Informer::hasSynced)) {
                state[0] = true;
                start.run();
            } else timers.after(100, check[0]);
        };
        check[0].run();
        return () -> {
            state[1] = true;
            if (state[0]) stop.run();
            informers.forEach(Informer::stop);
        };
    }

    /** A kubelet on a client node of its own: registers a Ready node of {@code cpu}, renews its Lease, reports its pods Running. */
    public void kubelet(String name, String cpu) {
        ApiStorage.Client c = storage.client();
        ObjectStore myNodes = c.store(Resource.NODES), myLeases = c.store(Resource.LEASES), myPods = c.store(Resource.PODS);
        kubeletAlive.put(name, true);
        try {
            storage.awaitPersistently(() -> myNodes.create(KubeObjects.node(name, cpu, "8Gi", true)));
        } catch (minietcd.kit.controlplane.StatusException e) {
            if (e.code() != 409) throw e;
        }
        ProcessTimers timers = new ProcessTimers(storage.sim(), "kubelet " + name, 1.0, 0);
        Runnable[] renew = new Runnable[1];
        renew[0] = () -> {
            if (!kubeletAlive.get(name)) return;
            long now = timers.now();
            myLeases.update("kube-node-lease", name, Preconditions.NONE, l -> new LeaseRecord(name, 40, LeaseRecord.of(l).acquireTimeMillis(), now, 0).writeTo(l))
                    .exceptionallyCompose(e -> myLeases.create(new LeaseRecord(name, 40, now, now, 0).newLease("kube-node-lease", name)))
                    .whenComplete((r, e) -> timers.after(e == null ? HEARTBEAT_MS : 1_000, renew[0]));
        };
        renew[0].run();
        Informer mine = Components.informer(ListerWatcher.of(myPods, ""), Resource.PODS, timers, 10_000); // a resync tries a failed report again
        mine.addEventHandler(new ResourceEventHandler() {
            @Override public void onAdd(ObjectNode pod) { run(pod); }
            @Override public void onUpdate(ObjectNode before, ObjectNode after) { run(after); }
            @Override public void onDelete(ObjectNode lastKnown, boolean unknown) { }
            private void run(ObjectNode pod) {
                if (!kubeletAlive.get(name) || !Pods.nodeName(pod).equals(name) || Pods.terminated(pod) || pod.path("status").path("phase").asText().equals("Running")) return;
                myPods.update(ObjectJson.namespace(pod), ObjectJson.name(pod), new Preconditions(ObjectJson.uid(pod), ""), p -> {
                    p.putObject("status").put("phase", "Running");
                    return p;
                });
            }
        });
        mine.start();
    }

    /** The kubelet stops: no more heartbeats, no more pods reported. */
    public void killKubelet(String name) {
        kubeletAlive.put(name, false);
    }

    private void see(Event e) {
        long revision = e.kv().modRevision();
        String key = e.kv().key().utf8();
        Long before = lastVersion.put(key, revision);
        if (before != null && before >= revision) violations.add("the resourceVersion of " + key + " went from " + before + " to " + revision);
        if (key.startsWith(Resource.NODES.keyPrefix()) && e.type() == Event.Type.PUT) {
            ObjectNode n = ObjectJson.fromStorage(e.kv(), revision);
            nodeReady.put(ObjectJson.name(n), Pods.ready(n));
        }
        boolean pod = key.startsWith(Resource.PODS.keyPrefix()), rs = key.startsWith(Resource.REPLICASETS.keyPrefix());
        if (!pod && !rs) return;
        Map<String, ObjectNode> view = pod ? podsByKey : rsByKey;
        if (e.type() == Event.Type.DELETE) {
            view.remove(key);
            if (pod) boundTo.remove(key);
            return;
        }
        boolean created = !view.containsKey(key);
        ObjectNode o = ObjectJson.fromStorage(e.kv(), revision);
        view.put(key, o);
        if (rs) {
            replicasOverTime.computeIfAbsent(key, k -> new TreeMap<>()).merge(storage.sim().now(), ReplicaSets.replicas(o), Math::max);
            return;
        }
        String node = Pods.nodeName(o), was = boundTo.getOrDefault(key, "");
        if (!was.isEmpty() && !was.equals(node)) violations.add("pod " + key + " moved from " + was + " to " + (node.isEmpty() ? "no node" : node) + " at revision " + revision);
        if (!node.isEmpty()) boundTo.put(key, node);
        if (created) ReplicaSets.controllerOf(o).ifPresent(ref -> {
            String rsKey = Resource.REPLICASETS.keyPrefix() + ObjectJson.namespace(o) + "/" + ref.path("name").asText();
            ObjectNode owner = rsByKey.get(rsKey);
            if (owner == null) return;
            long active = podsByKey.values().stream().filter(p -> ReplicaSets.ownedBy(p, owner) && !Pods.terminated(p)).count();
            TreeMap<Long, Integer> history = replicasOverTime.get(rsKey);
            long since = storage.sim().now() - ControllerRig.DECISION_WINDOW_MS;
            var floor = history.floorEntry(since);
            int asked = floor == null ? 0 : floor.getValue();
            for (int r : history.tailMap(since, true).values()) asked = Math.max(asked, r);
            if (active > asked)
                violations.add("an extra pod: " + ObjectJson.name(o) + " made " + ObjectJson.name(owner) + " have " + active + " active pods, and its replicas were "
                        + asked + " at the most in the " + ControllerRig.DECISION_WINDOW_MS / 1000 + " s before (revision " + revision + ")");
        });
    }

    /** The broken rules the rig's watch saw, each with its evidence. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Nodes whose pods (not terminated) request more CPU than they have, as the store is now. */
    public List<String> overcommitted() {
        List<String> out = new ArrayList<>();
        Map<String, Long> used = new TreeMap<>();
        for (ObjectNode p : storage.awaitPersistently(() -> pods.list("", ListOptions.LATEST)).items())
            if (!Pods.nodeName(p).isEmpty() && !Pods.terminated(p)) used.merge(Pods.nodeName(p), Pods.cpuRequest(p), Long::sum);
        for (ObjectNode n : storage.awaitPersistently(() -> nodes.list("", ListOptions.LATEST)).items()) {
            long u = used.getOrDefault(ObjectJson.name(n), 0L);
            if (u > Pods.allocatableCpu(n)) out.add("node " + ObjectJson.name(n) + " overcommitted: pods request " + u + "m CPU of " + Pods.allocatableCpu(n) + "m");
        }
        return out;
    }

    /** The ReplicaSet's pods that are Running on nodes whose kubelet is alive, as the rig's watch shows them. */
    public long runningOnLiveNodes(String namespace, String name) {
        ObjectNode rs = rsByKey.get(Resource.REPLICASETS.keyPrefix() + namespace + "/" + name);
        if (rs == null) return 0;
        return podsByKey.values().stream().filter(p -> ReplicaSets.ownedBy(p, rs) && p.path("status").path("phase").asText().equals("Running")
                && kubeletAlive.getOrDefault(Pods.nodeName(p), false)).count();
    }

    /** What the rig sees, for a failure's message: who leads, and each pod with its node and phase. */
    public String describe() {
        StringBuilder b = new StringBuilder("leaders: ");
        for (Process p : schedulers) if (p.leads()) b.append(p.identity).append(' ');
        for (Process p : managers) if (p.leads()) b.append(p.identity).append(' ');
        b.append("; live kubelets: ").append(kubeletAlive).append("; nodes Ready: ").append(nodeReady).append("; pods:");
        for (ObjectNode p : podsByKey.values())
            b.append(' ').append(ObjectJson.name(p)).append('@').append(Pods.nodeName(p).isEmpty() ? "-" : Pods.nodeName(p)).append('/').append(p.path("status").path("phase").asText("?"));
        b.append("; replicas:");
        for (ObjectNode r : rsByKey.values()) b.append(' ').append(ObjectJson.name(r)).append('=').append(ReplicaSets.replicas(r));
        return b.toString();
    }

    /** The ReplicaSet's replicas, as the rig's watch shows it (-1 if it does not exist). */
    public int replicas(String namespace, String name) {
        ObjectNode rs = rsByKey.get(Resource.REPLICASETS.keyPrefix() + namespace + "/" + name);
        return rs == null ? -1 : ReplicaSets.replicas(rs);
    }

    /** All of the ReplicaSet's active pods, as the rig's watch shows them. */
    public long activePods(String namespace, String name) {
        ObjectNode rs = rsByKey.get(Resource.REPLICASETS.keyPrefix() + namespace + "/" + name);
        if (rs == null) return 0;
        return podsByKey.values().stream().filter(p -> ReplicaSets.ownedBy(p, rs) && !Pods.terminated(p)).count();
    }

    /** A ReplicaSet of {@code replicas} pods of {@code cpu} each. */
    public static ObjectNode replicaSet(String name, int replicas, String cpu) {
        ObjectNode rs = ControllerRig.replicaSet(name, replicas);
        ArrayNode containers = (ArrayNode) rs.path("spec").path("template").path("spec").path("containers");
        ((ObjectNode) containers.get(0)).putObject("resources").putObject("requests").put("cpu", cpu).put("memory", "64Mi");
        return rs;
    }
}
