package minietcd.kit.harness;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import minietcd.kit.apiserver.SimApiServer;
import minietcd.kit.components.ApiObjectStore;
import minietcd.kit.components.ApiTransport;
import minietcd.kit.components.ApiWrites;
import minietcd.kit.components.SimApiClient;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.Fence;
import minietcd.kit.controlplane.Informer;
import minietcd.kit.controlplane.LeaderElector;
import minietcd.kit.controlplane.LeaseRecord;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.StatusException;
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
 * The whole of lab 5 in one simulation: the replicated store; the API server, a node of its own
 * ({@link SimApiServer}: lab 5's storage layer over its etcd client, Kubernetes' compaction loop);
 * two schedulers and two controller managers (the ReplicaSet and node lifecycle controllers), each a
 * process with its own clock and its own connection to the API server ({@link SimApiClient}),
 * leader-elected through Leases, every write carrying its leader's fence; kubelets that register
 * their nodes, renew their Leases and report their pods Running; and an admin for ReplicaSets, on
 * the storage layer directly. Components speak to the API server as real ones do (the REST calls
 * of {@link ApiObjectStore} and {@link ApiWrites}), so a restarted API server breaks every watch and
 * a cut link or a paused process reaches them as it would. A leader starts its controllers once its
 * informers have synced, and stops them when it stops leading.
 *
 * <p>One etcd watch of {@code /registry/}, in revision order, checks at every change: a pod bound
 * once and never moved; no node whose pods request more CPU than it has; no write of a scheduler or
 * controller manager made while its Lease named another (the API server tells the rig which client
 * each write was for); no ReplicaSet with more active pods than the highest replicas it had in the
 * 30 s before; per key, resourceVersions only grow. {@link #overcommitted} checks the nodes, and
 * {@link #staleCaches} every running informer against the store.
 */
public final class ControlPlaneRig {
    public static final long HEARTBEAT_MS = 10_000;
    /** The API server's compaction interval here: short, so that informers behind it relist. */
    public static final long COMPACTION_MS = 10_000;

    /** One component process: its connection to the API server, its clock, its elector, and what runs while it leads. */
    public final class Process {
        public final String identity;
        public final ProcessTimers timers;
        public final LeaderElector elector;
        final int node;
        final SimApiClient api;
        private Runnable stopRunning;
        private List<Informer> informers = List.of();

        final String leaseKey;

        Process(String identity, String lease, double rate, BiFunction<Process, ApiTransport, Running> run) {
            this.identity = identity;
            this.leaseKey = Fence.of("kube-system", lease, 0).leaseKey();
            SimApiClient[] made = new SimApiClient[1];
            this.node = storage.sim().addClient(ctx -> made[0] = new SimApiClient(ctx, apiServer));
            processByNode.put(node, this);
            this.api = made[0];
            this.timers = new ProcessTimers(storage.sim(), identity, rate, 0);
            LeaderElector[] elector = new LeaderElector[1];
            ApiTransport fenced = api.fenced(() -> elector[0].fence());
            elector[0] = Components.leaderElector(new ApiObjectStore(api, Resource.LEASES), LeaderElector.Config.defaults("kube-system", lease, identity), timers, new LeaderElector.Callbacks() {
                @Override public void onStartedLeading() {
                    if (timers.dead()) return;
                    Running r = run.apply(Process.this, fenced);
                    informers = r.informers();
                    stopRunning = r.stop();
                }
                @Override public void onStoppedLeading() {
                    if (stopRunning != null) stopRunning.run();
                    stopRunning = null;
                    informers = List.of();
                }
            });
            this.elector = elector[0];
            this.elector.start();
        }

        /** The process dies: nothing it scheduled runs again, and its connection is gone. */
        public void kill() {
            timers.kill();
            storage.sim().crash(node);
            if (stopRunning != null) stopRunning.run();
            stopRunning = null;
            informers = List.of();
        }

        /** The process stops for {@code millis} (its clock goes on), then goes on with what fell due. */
        public void pause(long millis) {
            timers.pause();
            api.pause();
            storage.sim().schedule(millis, "resume " + identity, () -> {
                api.resume();
                timers.resume();
            });
        }

        /** Its link to the API server is cut for {@code millis}. */
        public void cutOff(long millis) {
            storage.sim().cut(node, apiServer);
            storage.sim().schedule(millis, "mend " + identity, () -> storage.sim().mend(node, apiServer));
        }

        public boolean leads() { return !timers.dead() && elector.isLeader(); }
    }

    /** What a leader runs: its informers, and how to stop it all. */
    private record Running(List<Informer> informers, Runnable stop) {}

    private final ApiStorage storage;
    private final ApiStorage.Client admin;
    private final int apiServer;
    private final Map<String, Informer> kubeletInformers = new TreeMap<>();
    private final Map<String, Integer> kubeletNodes = new HashMap<>();
    private final Map<String, ProcessTimers> kubeletTimers = new HashMap<>();
    private final Map<String, SimApiClient> kubeletApis = new HashMap<>();
    private final Map<String, Long> mirror = new TreeMap<>();
    private final Map<Integer, Process> processByNode = new HashMap<>();
    /** Per leader Lease's key: its holder from each revision on, as the rig's watch saw it. */
    private final Map<String, TreeMap<Long, String>> holders = new HashMap<>();
    /** Writes of leader-elected components the API server made, waiting for the watch to pass their revision. */
    private final TreeMap<Long, List<String[]>> unchecked = new TreeMap<>();
    private long seenRevision;
    /** Each informer's keys in the store: its resource's prefix, and its namespace's. */
    private final Map<Informer, String> informerKeys = new java.util.IdentityHashMap<>();
    public final ObjectStore pods, replicaSets, nodes;
    public final List<Process> schedulers = new ArrayList<>(), managers = new ArrayList<>();
    private final Map<String, Boolean> kubeletAlive = new HashMap<>();
    private final Map<String, String> boundTo = new TreeMap<>();
    private final Map<String, ObjectNode> podsByKey = new TreeMap<>(), rsByKey = new TreeMap<>();
    private final Map<String, TreeMap<Long, Integer>> replicasOverTime = new TreeMap<>();
    private final Map<String, Long> lastVersion = new HashMap<>();
    private final Map<String, Boolean> nodeReady = new TreeMap<>();
    private final Map<String, Long> nodeCpu = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();

    /** {@code clockRates}: the clock rates of scheduler-1, scheduler-2, controller-manager-1 and controller-manager-2. */
    public ControlPlaneRig(long seed, Faults faults, Trace trace, double[] clockRates) {
        storage = new ApiStorage(seed, faults, trace);
        admin = storage.client();
        pods = admin.store(Resource.PODS);
        replicaSets = admin.store(Resource.REPLICASETS);
        nodes = admin.store(Resource.NODES);
        RegistryWatch.follow(storage, admin.etcd(), this::see);
        List<Integer> endpoints = storage.endpoints();
        apiServer = storage.sim().addClient(ctx -> new SimApiServer(ctx, endpoints, true, COMPACTION_MS, this::wrote));
        storage.sim().runUntil(() -> mirror.containsKey(Resource.NAMESPACES.keyPrefix() + "kube-node-lease"), 60_000); // the API server's bootstrap
        for (int i = 1; i <= 2; i++)
            schedulers.add(new Process("scheduler-" + i, "kube-scheduler", clockRates[i - 1], this::scheduler));
        for (int i = 1; i <= 2; i++)
            managers.add(new Process("controller-manager-" + i, "kube-controller-manager", clockRates[i + 1], this::manager));
    }

    /** How many times the API servers' compaction loop has compacted the store: the version of its key, less its first put. */
    public long compactions() {
        var r = storage.awaitPersistently(() -> admin.etcd().get(minietcd.kit.apiserver.Compactor.KEY)
                .exceptionallyCompose(e -> java.util.concurrent.CompletableFuture.failedFuture(StatusException.fromStore(e, ""))));
        return r.kvs().isEmpty() ? 0 : r.kvs().get(0).version() - 1;
    }

    /** The API server's link to store member {@code member} is cut for {@code millis}: its etcd client moves on to another. */
    public void cutApiServerFrom(int member, long millis) {
        storage.sim().cut(apiServer, member);
        storage.sim().schedule(millis, "mend the API server's link to member " + member, () -> storage.sim().mend(apiServer, member));
    }

    /** The API server restarts {@code downMillis} after it crashed: every watch it served is gone. */
    public void restartApiServer(long downMillis) {
        storage.sim().crash(apiServer);
        storage.sim().schedule(downMillis, "restart the API server", () -> storage.sim().restart(apiServer));
    }

    public ApiStorage storage() { return storage; }

    private Running scheduler(Process p, ApiTransport writes) {
        Informer pods = informer(p, Resource.PODS, ""), nodes = informer(p, Resource.NODES, "");
        Scheduler s = Components.scheduler(pods, nodes, ApiWrites.binder(writes), p.timers);
        return startWhenSynced(p.timers, List.of(pods, nodes), s::start, s::stop);
    }

    private Running manager(Process p, ApiTransport writes) {
        Informer rs = informer(p, Resource.REPLICASETS, ""), pods = informer(p, Resource.PODS, ""), nodes = informer(p, Resource.NODES, "");
        Informer leases = informer(p, Resource.LEASES, "kube-node-lease");
        PodControl control = ApiWrites.podControl(writes);
        ReplicaSetController rc = Components.replicaSetController(rs, pods, control, p.timers);
        NodeLifecycleController nlc = Components.nodeLifecycleController(nodes, leases, pods, control, p.timers);
        return startWhenSynced(p.timers, List.of(rs, pods, nodes, leases), () -> { rc.start(); nlc.start(); }, () -> { rc.stop(); nlc.stop(); });
    }

    private Informer informer(Process p, Resource r, String namespace) {
        Informer i = Components.informer(ListerWatcher.of(new ApiObjectStore(p.api, r), namespace), r, p.timers, 0);
        informerKeys.put(i, r.keyPrefix() + (namespace.isEmpty() ? "" : namespace + "/"));
        return i;
    }

    /** Starts the informers, and {@code start} once they have synced; {@link Running#stop} stops it all. */
    private static Running startWhenSynced(ProcessTimers timers, List<Informer> informers, Runnable start, Runnable stop) {
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
        return new Running(informers, () -> {
            state[1] = true;
            if (state[0]) stop.run();
            informers.forEach(Informer::stop);
        });
    }

    /** A kubelet with a connection of its own: registers a Ready node of {@code cpu}, renews its Lease, reports its pods Running. */
    public void kubelet(String name, String cpu) {
        SimApiClient[] made = new SimApiClient[1];
        kubeletNodes.put(name, storage.sim().addClient(ctx -> made[0] = new SimApiClient(ctx, apiServer)));
        ApiTransport api = made[0];
        ObjectStore myNodes = new ApiObjectStore(api, Resource.NODES), myLeases = new ApiObjectStore(api, Resource.LEASES);
        ObjectStore myPods = new ApiObjectStore(api, Resource.PODS, "", "spec.nodeName=" + name), podStatus = new ApiObjectStore(api, Resource.PODS, "status", "");
        ObjectStore nodeStatus = new ApiObjectStore(api, Resource.NODES, "status", "");
        kubeletAlive.put(name, true);
        ProcessTimers timers = new ProcessTimers(storage.sim(), "kubelet " + name, 1.0, 0);
        kubeletTimers.put(name, timers);
        kubeletApis.put(name, made[0]);
        Runnable[] register = new Runnable[1];
        register[0] = () -> myNodes.create(KubeObjects.node(name, cpu, "8Gi", true)).whenComplete((n, e) -> {
            if (e != null && StatusException.fromStore(e, "").code() != 409) timers.after(1_000, register[0]);
        });
        register[0].run();
        Runnable[] renew = new Runnable[1];
        renew[0] = () -> {
            if (!kubeletAlive.get(name)) return;
            long now = timers.now();
            myLeases.update("kube-node-lease", name, Preconditions.NONE, l -> new LeaseRecord(name, 40, LeaseRecord.of(l).acquireTimeMillis(), now, 0).writeTo(l))
                    .exceptionallyCompose(e -> myLeases.create(new LeaseRecord(name, 40, now, now, 0).newLease("kube-node-lease", name)))
                    .thenCompose(renewed -> nodeStatus.update("", name, Preconditions.NONE, n -> Pods.ready(n) ? n : ready(n))) // back after a pause: Ready again
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
                podStatus.update(ObjectJson.namespace(pod), ObjectJson.name(pod), new Preconditions(ObjectJson.uid(pod), ""), p -> {
                    p.putObject("status").put("phase", "Running").putArray("conditions").addObject().put("type", "Ready").put("status", "True");
                    return p;
                });
            }
        });
        mine.start();
        kubeletInformers.put(name, mine);
        informerKeys.put(mine, Resource.PODS.keyPrefix());
    }

    private static ObjectNode ready(ObjectNode node) {
        ObjectNode status = node.get("status") instanceof ObjectNode o ? o : node.putObject("status");
        ArrayNode conditions = status.putArray("conditions");
        conditions.addObject().put("type", "Ready").put("status", "True").put("reason", "KubeletReady");
        return node;
    }

    /** The kubelet's process stops for {@code millis} (its clock goes on), then goes on with what fell due. */
    public void pauseKubelet(String name, long millis) {
        kubeletTimers.get(name).pause();
        kubeletApis.get(name).pause();
        storage.sim().schedule(millis, "resume kubelet " + name, () -> {
            kubeletApis.get(name).resume();
            kubeletTimers.get(name).resume();
        });
    }

    /** The kubelet stops: no more heartbeats, no more pods reported. */
    public void killKubelet(String name) {
        kubeletAlive.put(name, false);
        kubeletInformers.remove(name);
        storage.sim().crash(kubeletNodes.get(name));
    }

    /**
     * The API server wrote for {@code client} at {@code revision}: if the client is a leader-elected
     * component (and the write not its Lease's), its Lease must have named it at that revision.
     */
    private void wrote(int client, String method, String path, long revision) {
        Process p = processByNode.get(client);
        if (p == null || path.contains("/leases/")) return;
        String[] w = {p.identity, p.leaseKey, method + " " + path, Long.toString(revision)};
        if (revision <= seenRevision) checkActing(w);
        else unchecked.computeIfAbsent(revision, r -> new ArrayList<>()).add(w);
    }

    private void checkActing(String[] w) {
        long revision = Long.parseLong(w[3]);
        var holder = holders.getOrDefault(w[1], new TreeMap<>()).floorEntry(revision);
        String named = holder == null ? "" : holder.getValue();
        if (!named.equals(w[0]))
            violations.add(w[0] + " acted while not leading: its " + w[2] + " was written at revision " + revision + ", when the Lease "
                    + w[1] + " named " + (named.isEmpty() ? "no one" : named));
    }

    private void see(Event e) {
        long revision = e.kv().modRevision();
        String key = e.kv().key().utf8();
        if (key.startsWith(Resource.LEASES.keyPrefix() + "kube-system/"))
            holders.computeIfAbsent(key, k -> new TreeMap<>()).put(revision,
                    e.type() == Event.Type.DELETE ? "" : LeaseRecord.of(ObjectJson.fromStorage(e.kv(), revision)).holderIdentity());
        seenRevision = Math.max(seenRevision, revision);
        while (!unchecked.isEmpty() && unchecked.firstKey() < revision) unchecked.pollFirstEntry().getValue().forEach(this::checkActing);
        Long before = lastVersion.put(key, revision);
        if (e.type() == Event.Type.DELETE) mirror.remove(key);
        else mirror.put(key, revision);
        if (before != null && before >= revision) violations.add("the resourceVersion of " + key + " went from " + before + " to " + revision);
        if (key.startsWith(Resource.NODES.keyPrefix()) && e.type() == Event.Type.PUT) {
            ObjectNode n = ObjectJson.fromStorage(e.kv(), revision);
            nodeReady.put(ObjectJson.name(n), Pods.ready(n));
            nodeCpu.put(ObjectJson.name(n), Pods.allocatableCpu(n));
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
        if (!node.isEmpty() && !Pods.terminated(o) && nodeCpu.containsKey(node)) {
            long used = podsByKey.values().stream().filter(p -> Pods.nodeName(p).equals(node) && !Pods.terminated(p)).mapToLong(Pods::cpuRequest).sum();
            if (used > nodeCpu.get(node))
                violations.add("node " + node + " overcommitted at revision " + revision + ": its pods request " + used + "m CPU of " + nodeCpu.get(node) + "m");
        }
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

    /**
     * What the rig's watch of {@code /registry/} shows now, for a view (copies): each key with its mod
     * revision, the pods and ReplicaSets, each node's readiness, and which kubelets are alive.
     */
    public record Snapshot(Map<String, Long> keys, List<ObjectNode> pods, List<ObjectNode> replicaSets, Map<String, Boolean> nodesReady, Map<String, Boolean> kubelets) {}

    public Snapshot snapshot() {
        return new Snapshot(new TreeMap<>(mirror), podsByKey.values().stream().map(ObjectNode::deepCopy).toList(),
                rsByKey.values().stream().map(ObjectNode::deepCopy).toList(), new TreeMap<>(nodeReady), new TreeMap<>(kubeletAlive));
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

    /**
     * Every running informer (the leaders', the live kubelets') whose cache is not the store as the
     * rig's watch shows it, each with what differs (keys with their resourceVersions): empty when
     * every cache has caught up.
     */
    public List<String> staleCaches() {
        List<String> out = new ArrayList<>();
        for (Process p : schedulers) if (p.leads()) for (Informer i : p.informers) compare(p.identity, i, null, out);
        for (Process p : managers) if (p.leads()) for (Informer i : p.informers) compare(p.identity, i, null, out);
        kubeletInformers.forEach((node, i) -> compare("kubelet " + node, i, node, out));
        return out;
    }

    /** {@code node}: a kubelet's informer, which holds the pods bound to it only. */
    private void compare(String who, Informer informer, String node, List<String> out) {
        if (!informer.hasSynced()) {
            out.add(who + ": an informer has not synced");
            return;
        }
        Map<String, Long> cached = new TreeMap<>();
        String prefix = informerKeys.get(informer);
        for (ObjectNode o : informer.list()) {
            String ns = ObjectJson.namespace(o);
            String kind = prefix.substring(0, prefix.indexOf('/', "/registry/".length()) + 1);
            cached.put(kind + (ns.isEmpty() ? "" : ns + "/") + ObjectJson.name(o), Long.parseLong(ObjectJson.resourceVersion(o)));
        }
        Map<String, Long> stored = new TreeMap<>();
        for (Map.Entry<String, Long> e : mirror.entrySet())
            if (e.getKey().startsWith(prefix) && (node == null || Pods.nodeName(podsByKey.get(e.getKey())).equals(node))) stored.put(e.getKey(), e.getValue());
        if (!cached.equals(stored)) out.add(who + ": its informer of " + prefix + " holds " + cached + ", the store " + stored);
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
        for (ObjectNode r : rsByKey.values()) b.append(' ').append(ObjectJson.name(r)).append('=').append(ReplicaSets.replicas(r)).append(" (ready ").append(r.path("status").path("readyReplicas").asInt(-1)).append(')');
        return b.toString();
    }

    /** The ReplicaSet's status.readyReplicas, as the rig's watch shows it (-1 if it does not exist or has none). */
    public int readyReplicas(String namespace, String name) {
        ObjectNode rs = rsByKey.get(Resource.REPLICASETS.keyPrefix() + namespace + "/" + name);
        return rs == null ? -1 : rs.path("status").path("readyReplicas").asInt(-1);
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
