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
        throw new UnsupportedOperationException("TODO(lab 5 part C): index the pods by node; queue the pods that have no node (and forget assumptions the informer confirms); when a node is added or changes, or a bound pod is deleted, queue the unschedulable pods again; take keys from the queue as they come");
    }

    @Override
    public void stop() {
        // TODO(lab 5 part C): stop taking keys
        throw new UnsupportedOperationException("TODO(lab 5 part C): stop taking keys");
    }

    @Override
    public List<Verdict> lastDecision() {
        return lastDecision;
    }


    /** One scheduling cycle for the pod with this key (processing in the queue): filter, score, assume, bind. */
    void scheduleOne(String key) {
        // TODO(lab 5 part C): skip a pod gone or bound (or assumed); filter and score every node (record the verdicts); none fits: unschedulable; else assume it on the best and bind: a refused binding frees its room and the pod is tried again; one without an answer is sent again to the same node until it has one
        throw new UnsupportedOperationException("TODO(lab 5 part C): skip a pod gone or bound (or assumed); filter and score every node (record the verdicts); none fits: unschedulable; else assume it on the best and bind: a refused binding frees its room and the pod is tried again; one without an answer is sent again to the same node until it has one");
    }

}
