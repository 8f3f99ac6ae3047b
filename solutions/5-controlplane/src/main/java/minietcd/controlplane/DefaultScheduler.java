package minietcd.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import minietcd.kit.controlplane.Binder;
import minietcd.kit.controlplane.Components;
import minietcd.kit.controlplane.Informer;
import minietcd.kit.controlplane.ObjectJson;
import minietcd.kit.controlplane.Pods;
import minietcd.kit.controlplane.ResourceEventHandler;
import minietcd.kit.controlplane.Scheduler;
import minietcd.kit.controlplane.StatusException;
import minietcd.kit.controlplane.Timers;
import minietcd.kit.controlplane.WorkQueue;

/**
 * Lab 5 part C: the scheduler (see {@link Scheduler} for the contract). Its work queue holds the keys
 * of pods without a node; a cycle takes one, decides, assumes, and starts the binding, and the next
 * cycle may begin before that binding is answered: the assumed pods are what keeps two quick
 * decisions from putting more on a node than it has.
 */
public final class DefaultScheduler implements Scheduler {
    /** The pods' index by the node they are bound to. */
    static final String BY_NODE = "spec.nodeName";
    /** When a binding without an answer is sent again: after 1 s, then 2, 4, ... at most 30 s. */
    static final long FIRST_RETRY_MS = 1_000, MAX_RETRY_MS = 30_000;

    private final Informer pods, nodes;
    private final Binder binder;
    private final Timers timers;
    private final WorkQueue queue;
    /** Pods this scheduler bound (or is binding) whose binding its informer has not shown yet: key to pod as decided, with the node set. */
    private final Map<String, ObjectNode> assumed = new TreeMap<>();
    // BEGIN SOLUTION
    /** Pods no node could take, tried again when a node is added or changes. */
    private final Set<String> unschedulable = new TreeSet<>();
    private boolean running;
    // END SOLUTION
    private List<Verdict> lastDecision = List.of();

    public DefaultScheduler(Informer pods, Informer nodes, Binder binder, Timers timers) {
        this.pods = pods;
        this.nodes = nodes;
        this.binder = binder;
        this.timers = timers;
        this.queue = Components.workQueue(timers);
    }

    @Override
    public void start() {
        // TODO(lab 5 part C): index the pods by node; queue the pods that have no node (and forget assumptions the informer confirms); when a node is added or changes, or a bound pod is deleted, queue the unschedulable pods again; take keys from the queue as they come
        // BEGIN SOLUTION
        running = true;
        queue.onReady(this::schedulePending); // first: a start after the informers synced hears of every pod inside addEventHandler
        pods.addIndexer(BY_NODE, p -> List.of(Pods.nodeName(p)));
        pods.addEventHandler(new ResourceEventHandler() {
            @Override public void onAdd(ObjectNode pod) { seen(pod); }
            @Override public void onUpdate(ObjectNode before, ObjectNode after) { seen(after); }
            @Override public void onDelete(ObjectNode lastKnown, boolean finalStateUnknown) {
                String key = Informer.keyOf(lastKnown);
                assumed.remove(key);
                unschedulable.remove(key);
                if (!Pods.nodeName(lastKnown).isEmpty()) retryUnschedulable(); // its room is free again
            }
        });
        nodes.addEventHandler(new ResourceEventHandler() {
            @Override public void onAdd(ObjectNode node) { retryUnschedulable(); }
            @Override public void onUpdate(ObjectNode before, ObjectNode after) { if (!before.equals(after)) retryUnschedulable(); }
            @Override public void onDelete(ObjectNode lastKnown, boolean finalStateUnknown) { }
        });
        // END SOLUTION
    }

    @Override
    public void stop() {
        // TODO(lab 5 part C): stop taking keys
        // BEGIN SOLUTION
        running = false;
        queue.shutDown();
        // END SOLUTION
    }

    @Override
    public List<Verdict> lastDecision() {
        return lastDecision;
    }

    // BEGIN SOLUTION
    private void seen(ObjectNode pod) {
        String key = Informer.keyOf(pod);
        if (!Pods.nodeName(pod).isEmpty()) assumed.remove(key); // the informer shows the binding: it counts from the cache now
        else if (!Pods.terminated(pod)) queue.add(key);
    }

    private void retryUnschedulable() {
        for (String key : unschedulable) queue.add(key);
        unschedulable.clear();
    }

    /** Runs scheduling cycles while keys wait. */
    private void schedulePending() {
        for (Optional<String> key = queue.get(); running && key.isPresent(); key = queue.get()) scheduleOne(key.get());
    }
    // END SOLUTION

    /** One scheduling cycle for the pod with this key (processing in the queue): filter, score, assume, bind. */
    void scheduleOne(String key) {
        // TODO(lab 5 part C): skip a pod gone or bound (or assumed); filter and score every node (record the verdicts); none fits: unschedulable; else assume it on the best and bind: a refused binding frees its room and the pod is tried again; one without an answer is sent again to the same node until it has one
        // BEGIN SOLUTION
        ObjectNode pod = pods.get(key).orElse(null);
        if (pod == null || !Pods.nodeName(pod).isEmpty() || assumed.containsKey(key)) {
            queue.done(key);
            return;
        }
        List<Verdict> verdicts = new ArrayList<>();
        String best = null;
        long bestScore = -1;
        for (ObjectNode node : nodes.list()) {
            Verdict v = judge(key, pod, node);
            verdicts.add(v);
            if (v.reason().isEmpty() && v.score() > bestScore) {
                best = v.node();
                bestScore = v.score();
            }
        }
        lastDecision = List.copyOf(verdicts);
        if (best == null) {
            unschedulable.add(key);
            queue.done(key);
            return;
        }
        ObjectNode decided = pod.deepCopy();
        ((ObjectNode) decided.get("spec")).put("nodeName", best);
        assumed.put(key, decided);
        bind(key, decided, FIRST_RETRY_MS);
        // END SOLUTION
    }

    // BEGIN SOLUTION
    /**
     * Binds the assumed pod. A binding without an answer (504) may have happened, or may still: it is
     * sent again, to the same node, until an answer says how it stands, and the room stays taken
     * meanwhile. Whichever of the two lands, the pod ends on that node; a 409 says it is bound (ours
     * or someone's), and the informer will show where.
     */
    private void bind(String key, ObjectNode decided, long retryMillis) {
        binder.bind(ObjectJson.namespace(decided), ObjectJson.name(decided), Pods.nodeName(decided)).whenComplete((bound, failure) -> {
            Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            int code = failure == null ? 200 : t instanceof StatusException s ? s.code() : 504;
            if (code == 504 && running && assumed.get(key) == decided) {
                timers.after(retryMillis, () -> {
                    if (assumed.get(key) == decided) bind(key, decided, Math.min(MAX_RETRY_MS, retryMillis * 2));
                });
                return;
            }
            queue.done(key);
            if (code == 200 || code == 409 || code == 504) { // bound, here or elsewhere: the informer will show it and end the assumption
                queue.forget(key);
                return;
            }
            assumed.remove(key);
            retryUnschedulable(); // the room it held is free again
            if (code != 404) queue.addRateLimited(key); // refused: try again; 404: the pod is gone
        });
    }

    /** One node's verdict for the pod: why it does not fit, or its least-allocated score. */
    private Verdict judge(String key, ObjectNode pod, ObjectNode node) {
        String name = ObjectJson.name(node);
        if (!Pods.ready(node)) return new Verdict(key, name, "not Ready", 0);
        if (!Pods.selects(pod, node)) return new Verdict(key, name, "node selector", 0);
        long cpu = Pods.allocatableCpu(node), memory = Pods.allocatableMemory(node);
        long usedCpu = Pods.cpuRequest(pod), usedMemory = Pods.memoryRequest(pod);
        Set<String> counted = new TreeSet<>();
        for (ObjectNode p : pods.byIndex(BY_NODE, name)) {
            if (Pods.terminated(p)) continue;
            counted.add(Informer.keyOf(p));
            usedCpu += Pods.cpuRequest(p);
            usedMemory += Pods.memoryRequest(p);
        }
        for (Map.Entry<String, ObjectNode> a : assumed.entrySet()) {
            if (!Pods.nodeName(a.getValue()).equals(name) || counted.contains(a.getKey())) continue;
            usedCpu += Pods.cpuRequest(a.getValue());
            usedMemory += Pods.memoryRequest(a.getValue());
        }
        if (usedCpu > cpu) return new Verdict(key, name, "Insufficient cpu", 0);
        if (usedMemory > memory) return new Verdict(key, name, "Insufficient memory", 0);
        long cpuFree = cpu == 0 ? 0 : (cpu - usedCpu) * 100 / cpu, memoryFree = memory == 0 ? 0 : (memory - usedMemory) * 100 / memory;
        return new Verdict(key, name, "", (cpuFree + memoryFree) / 2);
    }
    // END SOLUTION
}
