package minietcd.kit.harness;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import minietcd.kit.controlplane.Binder;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.Informer;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ListerWatcher;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.Pods;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.controlplane.Scheduler;
import minietcd.kit.controlplane.Selection;
import minietcd.kit.controlplane.WatchEvent;
import minietcd.kit.controlplane.WatchOptions;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Trace;

/**
 * Lab 5 part C's scheduler in the simulator: the replicated store, an admin client that creates nodes
 * and pods, and a scheduler on a client node of its own with its pod and node informers. A watch of
 * every pod from the start records each pod's node as the store saw it, so that the rules are
 * checked on what was written: a pod is bound once and never moved, and no node holds more than it
 * has.
 */
public final class SchedulingRig {
    private final ApiStorage storage;
    public final ObjectStore pods, nodes;
    public final Informer podInformer, nodeInformer;
    public final Scheduler scheduler;
    /** Each pod's node as the store's events showed it, and the violations seen. */
    private final Map<String, String> boundTo = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private String lastSeen = "";

    public SchedulingRig(long seed, Faults faults, Trace trace) {
        this(seed, faults, trace, null);
    }

    /** The same, binding through {@code binder} when it is not null (a test's, to make bindings fail). */
    public SchedulingRig(long seed, Faults faults, Trace trace, java.util.function.Function<Binder, Binder> binder) {
        this(seed, faults, trace, binder, false);
    }

    /**
     * The same; with {@code startLate}, nothing runs until {@link #startAfterSync}, so that a test can
     * fill the store first and start the scheduler as a real one starts (its informers synced first).
     */
    public SchedulingRig(long seed, Faults faults, Trace trace, java.util.function.Function<Binder, Binder> binder, boolean startLate) {
        storage = new ApiStorage(seed, faults, trace);
        ApiStorage.Client admin = storage.client();
        pods = admin.store(Resource.PODS);
        nodes = admin.store(Resource.NODES);
        watchPods("0");
        ApiStorage.Client c = storage.client();
        ObjectStore schedulerPods = c.store(Resource.PODS);
        SimTimers timers = new SimTimers(storage.sim(), "scheduler");
        podInformer = Components.informer(ListerWatcher.of(schedulerPods, ""), Resource.PODS, timers, 0);
        nodeInformer = Components.informer(ListerWatcher.of(c.store(Resource.NODES), ""), Resource.NODES, timers, 0);
        Binder b = Binder.of(schedulerPods);
        scheduler = Components.scheduler(podInformer, nodeInformer, binder == null ? b : binder.apply(b), timers);
        if (startLate) return;
        scheduler.start();
        podInformer.start();
        nodeInformer.start();
    }

    /** Starts the informers, runs until both have synced, then starts the scheduler (client-go's WaitForCacheSync). */
    public void startAfterSync() {
        podInformer.start();
        nodeInformer.start();
        if (!storage.sim().runUntil(() -> podInformer.hasSynced() && nodeInformer.hasSynced(), 30_000))
            throw new AssertionError("seed " + storage.sim().seed() + ": the scheduler's informers did not sync in 30 s");
        scheduler.start();
    }

    public ApiStorage storage() { return storage; }

    /** The rig's own watch of every pod; when it breaks (a member crashed), it resumes from the last revision it saw. */
    private void watchPods(String from) {
        pods.watch("", new WatchOptions(from, Selection.EVERYTHING, false), new ObjectStore.Listener() {
            @Override public void onEvent(WatchEvent e) {
                if (e.type() == WatchEvent.Type.ERROR && e.object().path("code").asInt() != 504) // a timeout: it watches again
                    violations.add("the rig's own watch of the pods failed: " + e.object());
                else if (e.type() != WatchEvent.Type.ERROR) record(e);
            }
            @Override public void ended(String why) {
                storage.sim().schedule(100, "the rig watches again", () -> watchPods(lastSeen.isEmpty() ? "0" : lastSeen));
            }
        });
    }

    private void record(WatchEvent e) {
        // the highest, not the last: a watch from "0" lists the pods first, in key order, not revision order
        long rv = Long.parseLong(ObjectJson.resourceVersion(e.object()));
        if (lastSeen.isEmpty() || rv > Long.parseLong(lastSeen)) lastSeen = Long.toString(rv);
        if (e.type() != WatchEvent.Type.ADDED && e.type() != WatchEvent.Type.MODIFIED) return;
        String key = Informer.keyOf(e.object()), node = Pods.nodeName(e.object());
        String before = boundTo.getOrDefault(key, "");
        if (!before.isEmpty() && !before.equals(node)) violations.add("pod " + key + " moved from " + before + " to " + (node.isEmpty() ? "no node" : node) + " at revision " + ObjectJson.resourceVersion(e.object()));
        if (!node.isEmpty()) boundTo.put(key, node);
    }

    /** Each pod's node, as the store's events showed it. */
    public Map<String, String> bindings() {
        return Map.copyOf(boundTo);
    }

    /**
     * Checks the store as it is now: no pod moved, and no node holds pods whose CPU or memory requests
     * add up to more than it has. Returns the broken rules, each with the evidence; empty if none.
     */
    public List<String> violations() {
        List<String> out = new ArrayList<>(violations);
        Map<String, long[]> used = new TreeMap<>();
        for (ObjectNode p : storage.awaitPersistently(() -> pods.list("", ListOptions.LATEST)).items()) {
            if (Pods.nodeName(p).isEmpty() || Pods.terminated(p)) continue;
            long[] u = used.computeIfAbsent(Pods.nodeName(p), n -> new long[2]);
            u[0] += Pods.cpuRequest(p);
            u[1] += Pods.memoryRequest(p);
        }
        for (ObjectNode n : storage.awaitPersistently(() -> nodes.list("", ListOptions.LATEST)).items()) {
            long[] u = used.getOrDefault(ObjectJson.name(n), new long[2]);
            if (u[0] > Pods.allocatableCpu(n)) out.add("node " + ObjectJson.name(n) + " overcommitted: pods request " + u[0] + "m CPU of " + Pods.allocatableCpu(n) + "m");
            if (u[1] > Pods.allocatableMemory(n)) out.add("node " + ObjectJson.name(n) + " overcommitted: pods request " + u[1] + " bytes of memory of " + Pods.allocatableMemory(n));
        }
        return out;
    }

    /** Runs until {@code pods} pods are bound in the store, or {@code maxMillis} pass; whether they are. */
    public boolean awaitBound(int pods, long maxMillis) {
        return storage.sim().runUntil(() -> boundTo.size() >= pods, maxMillis);
    }
}
