package minietcd.kit.harness;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.Informer;
import minietcd.kit.controlplane.ListerWatcher;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.ObjectStore;
import minietcd.kit.controlplane.PodControl;
import minietcd.kit.controlplane.Pods;
import minietcd.kit.controlplane.ReplicaSetController;
import minietcd.kit.controlplane.ReplicaSets;
import minietcd.kit.controlplane.Resource;
import minietcd.kit.mvcc.Event;
import minietcd.kit.sim.Faults;
import minietcd.kit.sim.Trace;

/**
 * Lab 5 part C's ReplicaSet controller in the simulator: the replicated store, an admin client that
 * creates and scales ReplicaSets and touches pods, and the controller on a client node of its own.
 * One etcd watch of everything under {@code /registry/}, in revision order, is the rig's view of the
 * world; at every pod the store shows created, it checks the rule that expectations exist for: no
 * ReplicaSet has more active pods than it asked for. What it asked for is the highest replicas it had
 * in the last {@link #DECISION_WINDOW_MS}: a create decided before a scale-down may land after it
 * (the controller then deletes the extra pod), but a controller that creates again before its
 * informer has seen its own creates overshoots even that.
 */
public final class ControllerRig {
    /** How long after a sync decided on it a create may land (calls time out in 3 s; a sync makes a few rounds). */
    public static final long DECISION_WINDOW_MS = 30_000;
    private final ApiStorage storage;
    private final ApiStorage.Client admin;
    public final ObjectStore pods, replicaSets;
    public final ReplicaSetController controller;
    private final Map<String, ObjectNode> rsByKey = new TreeMap<>(), podsByKey = new TreeMap<>();
    /** Each ReplicaSet's replicas over time, as the rig saw them change: time to replicas. */
    private final Map<String, java.util.TreeMap<Long, Integer>> replicasOverTime = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();

    private final Informer rsInformer, podInformer;

    public ControllerRig(long seed, Faults faults, Trace trace, java.util.function.UnaryOperator<PodControl> wrap) {
        this(seed, faults, trace, wrap, false);
    }

    /**
     * The same; with {@code startLate}, nothing runs until {@link #startAfterSync}, so that a test can
     * fill the store first and start the controller as a real one starts (its informers synced first).
     */
    public ControllerRig(long seed, Faults faults, Trace trace, java.util.function.UnaryOperator<PodControl> wrap, boolean startLate) {
        storage = new ApiStorage(seed, faults, trace);
        admin = storage.client();
        pods = admin.store(Resource.PODS);
        replicaSets = admin.store(Resource.REPLICASETS);
        RegistryWatch.follow(storage, admin.etcd(), this::see);
        ApiStorage.Client c = storage.client();
        SimTimers timers = new SimTimers(storage.sim(), "controller");
        rsInformer = Components.informer(ListerWatcher.of(c.store(Resource.REPLICASETS), ""), Resource.REPLICASETS, timers, 0);
        podInformer = Components.informer(ListerWatcher.of(c.store(Resource.PODS), ""), Resource.PODS, timers, 0);
        PodControl control = PodControl.of(c::store, storage.ids());
        controller = Components.replicaSetController(rsInformer, podInformer, wrap == null ? control : wrap.apply(control), timers);
        if (startLate) return;
        controller.start();
        rsInformer.start();
        podInformer.start();
    }

    /** Starts the informers, runs until both have synced, then starts the controller (client-go's WaitForCacheSync). */
    public void startAfterSync() {
        rsInformer.start();
        podInformer.start();
        if (!storage.sim().runUntil(() -> rsInformer.hasSynced() && podInformer.hasSynced(), 30_000))
            throw new AssertionError("seed " + storage.sim().seed() + ": the controller's informers did not sync in 30 s");
        controller.start();
    }

    public ApiStorage storage() { return storage; }

    private void see(Event e) {
        String key = e.kv().key().utf8();
        boolean pod = key.startsWith(Resource.PODS.keyPrefix()), rs = key.startsWith(Resource.REPLICASETS.keyPrefix());
        if (!pod && !rs) return;
        Map<String, ObjectNode> view = pod ? podsByKey : rsByKey;
        if (e.type() == Event.Type.DELETE) {
            view.remove(key);
            return;
        }
        boolean created = !view.containsKey(key);
        ObjectNode o = ObjectJson.fromStorage(e.kv(), e.kv().modRevision());
        view.put(key, o);
        if (rs) replicasOverTime.computeIfAbsent(key, k -> new java.util.TreeMap<>()).merge(storage.sim().now(), ReplicaSets.replicas(o), Math::max); // several in one message
        if (pod && created) ReplicaSets.controllerOf(o).ifPresent(ref -> {
            ObjectNode owner = rsByKey.get(Resource.REPLICASETS.keyPrefix() + ObjectJson.namespace(o) + "/" + ref.path("name").asText());
            if (owner == null) return;
            long active = owned(owner).size();
            int asked = askedFor(Resource.REPLICASETS.keyPrefix() + ObjectJson.namespace(o) + "/" + ref.path("name").asText());
            if (active > asked)
                violations.add("an extra pod: " + ObjectJson.name(o) + " made " + ObjectJson.name(owner) + " have " + active + " active pods, and its replicas were "
                        + asked + " at the most in the " + DECISION_WINDOW_MS / 1000 + " s before (revision " + e.kv().modRevision() + ")");
        });
    }

    /** The highest replicas the ReplicaSet had in the decision window up to now. */
    private int askedFor(String rsKey) {
        java.util.TreeMap<Long, Integer> history = replicasOverTime.get(rsKey);
        long since = storage.sim().now() - DECISION_WINDOW_MS;
        var before = history.floorEntry(since);
        int most = before == null ? 0 : before.getValue();
        for (int r : history.tailMap(since, true).values()) most = Math.max(most, r);
        return most;
    }

    /** The active pods the store shows this ReplicaSet owning, by name. */
    private List<String> owned(ObjectNode rs) {
        List<String> names = new ArrayList<>();
        for (ObjectNode p : podsByKey.values())
            if (ReplicaSets.ownedBy(p, rs) && !Pods.terminated(p)) names.add(ObjectJson.name(p));
        return names;
    }

    /** The active pods the store shows the ReplicaSet {@code namespace/name} owning, by name (none if it does not exist). */
    public List<String> ownedPods(String namespace, String name) {
        ObjectNode rs = rsByKey.get(Resource.REPLICASETS.keyPrefix() + namespace + "/" + name);
        return rs == null ? List.of() : owned(rs);
    }

    /** The pods as the rig's watch shows them, by name (namespace "default"). */
    public Map<String, ObjectNode> pods() {
        Map<String, ObjectNode> out = new TreeMap<>();
        for (ObjectNode p : podsByKey.values()) out.put(ObjectJson.name(p), p);
        return out;
    }

    /** The ReplicaSet as the rig's watch shows it. */
    public ObjectNode replicaSet(String namespace, String name) {
        return rsByKey.get(Resource.REPLICASETS.keyPrefix() + namespace + "/" + name);
    }

    /** The broken rules seen so far, each with its evidence. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** A ReplicaSet of {@code replicas} pods labeled app=NAME, as an admin would create it (with a uid). */
    public static ObjectNode replicaSet(String name, int replicas) {
        ObjectNode rs = ObjectJson.MAPPER.createObjectNode().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
        rs.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name);
        ObjectNode spec = rs.putObject("spec").put("replicas", replicas);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", "nginx");
        return rs;
    }
}
