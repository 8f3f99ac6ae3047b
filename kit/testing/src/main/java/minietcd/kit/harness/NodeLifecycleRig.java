package minietcd.kit.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.Informer;
import minietcd.kit.controlplane.LeaseRecord;
import minietcd.kit.controlplane.ListOptions;
import minietcd.kit.controlplane.ListerWatcher;
import minietcd.kit.controlplane.NodeLifecycleController;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.PodControl;
import minietcd.kit.controlplane.Pods;
import minietcd.kit.controlplane.Preconditions;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Trace;

/**
 * Lab 5 part C's node lifecycle controller in the simulator: the replicated store, kubelets played by
 * an admin client (each renews its node's Lease in {@code kube-node-lease} every 10 s on a clock of
 * its own setting, 1 s after a renewal that failed, until it is killed), and the controller on a client node of its own with
 * informers of the nodes, of the node Leases and of the pods.
 */
public final class NodeLifecycleRig {
    public static final long HEARTBEAT_MS = 10_000;
    private final ApiStorage storage;
    public final ObjectStore nodes, leases, pods;
    public final NodeLifecycleController controller;
    private final Map<String, Long> clockOffset = new HashMap<>();
    private final Map<String, Boolean> alive = new HashMap<>();
    /** Each kubelet's last renewal, simulated time. */
    private final Map<String, Long> lastRenewal = new HashMap<>();

    public NodeLifecycleRig(long seed, Faults faults, Trace trace) {
        storage = new ApiStorage(seed, faults, trace);
        ApiStorage.Client admin = storage.client();
        nodes = admin.store(Resource.NODES);
        leases = admin.store(Resource.LEASES);
        pods = admin.store(Resource.PODS);
        ApiStorage.Client c = storage.client();
        SimTimers timers = new SimTimers(storage.sim(), "node-lifecycle");
        Informer nodeInformer = Components.informer(ListerWatcher.of(c.store(Resource.NODES), ""), Resource.NODES, timers, 0);
        Informer leaseInformer = Components.informer(ListerWatcher.of(c.store(Resource.LEASES), "kube-node-lease"), Resource.LEASES, timers, 0);
        Informer podInformer = Components.informer(ListerWatcher.of(c.store(Resource.PODS), ""), Resource.PODS, timers, 0);
        PodControl control = PodControl.of(c::store, storage.ids());
        controller = Components.nodeLifecycleController(nodeInformer, leaseInformer, podInformer, control, timers);
        nodeInformer.start();
        leaseInformer.start();
        podInformer.start();
        controller.start();
    }

    public ApiStorage storage() { return storage; }

    /** A Ready node of 4 CPUs with a kubelet whose clock reads {@code clockOffsetMillis} off the simulation's; it renews its Lease from now on. */
    public void kubelet(String node, long clockOffsetMillis) {
        create(nodes, KubeObjects.node(node, "4", "8Gi", true));
        clockOffset.put(node, clockOffsetMillis);
        alive.put(node, true);
        renew(node);
    }

    private void renew(String node) {
        if (!alive.get(node)) return;
        long now = storage.sim().now() + clockOffset.get(node);
        lastRenewal.put(node, storage.sim().now());
        leases.update("kube-node-lease", node, Preconditions.NONE, l -> new LeaseRecord(node, 40, LeaseRecord.of(l).acquireTimeMillis(), now, 0).writeTo(l))
                .exceptionallyCompose(e -> leases.create(new LeaseRecord(node, 40, now, now, 0).newLease("kube-node-lease", node)))
                .whenComplete((r, e) -> // as a kubelet does: a renewal that failed is tried again soon, not at the next heartbeat
                        storage.sim().schedule(e == null ? HEARTBEAT_MS : 1_000, "kubelet " + node + " renews", () -> renew(node)));
    }

    /** The kubelet stops: its Lease is renewed no more. */
    public void kill(String node) {
        alive.put(node, false);
    }

    /** The kubelet starts again: it renews at once, and from then on. */
    public void revive(String node) {
        if (alive.put(node, true)) return;
        renew(node);
    }

    /** The simulated time of the kubelet's last renewal. */
    public long lastRenewal(String node) {
        return lastRenewal.get(node);
    }

    /** A pod bound to {@code node}. */
    public void podOn(String name, String node) {
        ObjectNode pod = KubeObjects.pod("default", name);
        ((ObjectNode) pod.get("spec")).put("nodeName", node);
        create(pods, pod);
    }

    /** Creates the object, again while the call times out; a 409 then says an earlier try was applied (on a lossy network). */
    public void create(ObjectStore store, ObjectNode object) {
        try {
            storage.awaitPersistently(() -> store.create(object));
        } catch (minietcd.kit.controlplane.StatusException e) {
            if (e.code() != 409) throw e;
        }
    }

    /** The Ready condition's status of the node as the store has it ("True", "Unknown", ...). */
    public String ready(String node) {
        for (JsonNode c : storage.awaitPersistently(() -> nodes.get("", node, "")).path("status").path("conditions"))
            if (c.path("type").asText().equals("Ready")) return c.path("status").asText();
        return "";
    }

    /** The names of the pods bound to {@code node} as the store has them. */
    public List<String> podsOn(String node) {
        List<String> out = new ArrayList<>();
        for (ObjectNode p : storage.awaitPersistently(() -> pods.list("", ListOptions.LATEST)).items())
            if (Pods.nodeName(p).equals(node)) out.add(ObjectJson.name(p));
        return out;
    }
}
